import Foundation

/// The live hash of each child as it was right after the operator's last apply, in memory only.
///
/// Caveat: after a restart it is empty; a child whose spec-hash annotation matches is adopted as it is
/// (its live hash recorded without a write), so restarts cost no writes, but a hand edit made while no
/// operator was running is only undone at the next spec change.
public final class AppliedHashes: Sendable {
    private let hashes = Mutex<[String: String]>([:])

    /// An empty record.
    public init() {}

    /// The recorded hash of the child with ``ChildPlan/key(_:)`` `key`.
    public func get(_ key: String) -> String? { hashes.withLock { $0[key] } }

    /// Records (or, with nil, forgets) the hash of `key`.
    public func set(_ key: String, _ hash: String?) { hashes.withLock { $0[key] = hash } }
}
