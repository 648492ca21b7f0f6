import Foundation
import KubeRuntime
import Locking

/// The live hash of each child as it was right after the operator's last apply, in memory only.
///
/// Caveat: after a restart it is empty; a child whose spec-hash annotation matches is adopted as it is
/// (its live hash recorded without a write), so restarts cost no writes, but a hand edit made while no
/// operator was running is only undone at the next spec change.
public final class AppliedHashes: Sendable {
    // The hashes are kept as numbers: a 16-digit hex string is one heap allocation more per child.
    private let hashes = Locked<[String: UInt64]>([:])

    /// An empty record.
    public init() {}

    /// The recorded hash of the child with ``ChildPlan/key(_:)`` `key`.
    public func get(_ key: String) -> String? { hashes.withLock { $0[key] }.map(ObjectProjection.hashText) }

    /// Records (or, with nil, forgets) the hash of `key`: a hash as ``ObjectProjection/contentHash(of:paths:)``
    /// writes it (anything else is not a recorded hash, so it forgets `key`, which at worst costs one apply).
    public func set(_ key: String, _ hash: String?) {
        let value = hash.flatMap { $0.utf8.count == 16 ? UInt64($0, radix: 16) : nil }
        hashes.withLock { $0[key] = value }
    }

    /// The number of recorded hashes.
    var count: Int { hashes.withLock { $0.count } }
}
