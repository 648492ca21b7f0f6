import KubeCore

/// What an informer keeps of each object: a transform applied before the object enters the store.
///
/// Keep owned objects small: ``summary(keeping:hashing:)`` keeps `apiVersion`, `kind`, the metadata
/// (without `managedFields` and the last-applied annotation), the listed fields (readiness status) and a
/// hash of the listed content, instead of whole objects.
///
/// ```swift
/// let deployments = ObjectProjection.summary(
///     keeping: [["spec", "replicas"], ["status", "readyReplicas"], ["status", "observedGeneration"]],
///     hashing: [["spec"]])
/// ```
public struct ObjectProjection: Sendable {
    /// The key under which ``summary(keeping:hashing:)`` stores the content hash.
    public static let contentHashKey = "contentHash"

    private let transform: @Sendable (JSONValue) -> JSONValue

    /// A projection from a closure.
    public init(_ transform: @escaping @Sendable (JSONValue) -> JSONValue) { self.transform = transform }

    /// Applies the projection.
    public func callAsFunction(_ object: JSONValue) -> JSONValue { transform(object) }

    /// Keeps the whole object (for the primary kind the reconciler reads).
    public static let identity = ObjectProjection { $0 }

    /// Keeps the whole object without `metadata.managedFields`.
    public static let withoutManagedFields = ObjectProjection { o in
        var o = o
        o["metadata", "managedFields"] = nil
        return o
    }

    /// Keeps `apiVersion`, `kind`, trimmed metadata, the fields at `keeping`, and under
    /// ``contentHashKey`` the ``contentHash(of:paths:)`` of the fields at `hashing`.
    public static func summary(keeping: [[String]], hashing: [[String]] = []) -> ObjectProjection {
        ObjectProjection { o in
            var out: JSONValue = [:]
            if let v = o["apiVersion"] { out["apiVersion"] = v }
            if let v = o["kind"] { out["kind"] = v }
            if var meta = o["metadata"] {
                meta["managedFields"] = nil
                meta["annotations", "kubectl.kubernetes.io/last-applied-configuration"] = nil
                if meta["annotations"]?.objectValue?.isEmpty == true { meta["annotations"] = nil }
                out["metadata"] = meta
            }
            for path in keeping where !path.isEmpty {
                if let v = o[path: path] { out[path: path] = v }
            }
            if !hashing.isEmpty { out[contentHashKey] = .string(contentHash(of: o, paths: hashing)) }
            return out
        }
    }

    /// A stable hash (FNV-1a 64, hex) of the values at `paths` (a missing value hashes as null); equal
    /// content gives equal hashes whatever the key order.
    public static func contentHash(of object: JSONValue, paths: [[String]]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for path in paths {
            var bytes = Array(path.joined(separator: ".").utf8)
            bytes.append(0)
            (object[path: path] ?? .null).writeJSON(into: &bytes)
            bytes.append(0)
            for b in bytes {
                hash ^= UInt64(b)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hashText(hash)
    }

    /// `hash` as ``contentHash(of:paths:)`` writes it: 16 lower-case hex digits.
    public static func hashText(_ hash: UInt64) -> String {
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
