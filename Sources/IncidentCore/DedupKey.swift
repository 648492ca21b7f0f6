import Hashing

/// Dedup keys for alerts that do not bring one.
public enum DedupKey {
    /// A fingerprint of a label set: 16 lowercase hex digits, independent of dictionary order.
    ///
    /// The canonical label text is every label sorted by name (by UTF-8 bytes), each as `name 0xFF value 0xFF`
    /// (0xFF never occurs in UTF-8, so no two label sets share a text). The fingerprint is the first 8 bytes of its
    /// SHA-256 digest, in hex: 64 bits, like Alertmanager's own fingerprint (a non-cryptographic 64-bit hash, also
    /// 16 hex digits). It is stored with open incidents, so changing this function changes the keys of alerts that
    /// are firing at the time (their next repeat would open a new incident).
    ///
    /// ```swift
    /// DedupKey.fingerprint(of: ["alertname": "DiskFull", "instance": "db-1"])  // 16 hex digits
    /// ```
    public static func fingerprint(of labels: [String: String]) -> String {
        Hex.encode(SHA256Digest.hash(canonicalText(of: labels)).prefix(8))
    }

    /// The bytes that are hashed: `name 0xFF value 0xFF` for every label, sorted by name.
    static func canonicalText(of labels: [String: String]) -> [UInt8] {
        var text: [UInt8] = []
        for name in labels.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            text += name.utf8
            text.append(0xFF)
            text += labels[name]!.utf8
            text.append(0xFF)
        }
        return text
    }
}
