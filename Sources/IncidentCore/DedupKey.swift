/// Dedup keys for alerts that do not bring one.
public enum DedupKey {
    /// A fingerprint of a label set: 16 lowercase hex digits, independent of dictionary order.
    ///
    /// The canonical label text is every label sorted by name (by UTF-8 bytes), each as `name 0xFF value 0xFF`
    /// (0xFF never occurs in UTF-8, so no two label sets share a text). The hash is FNV-1a 64-bit, a fallback until
    /// the `Hashing` module's SHA-256 lands: like Alertmanager's own fingerprint it is a 64-bit non-cryptographic
    /// hash, and 16 hex digits is Alertmanager's fingerprint length. Changing the hash later changes the keys of
    /// alerts that are firing at the time (their next repeat opens a new incident).
    ///
    /// ```swift
    /// DedupKey.fingerprint(of: ["alertname": "DiskFull", "instance": "db-1"]).count  // 16
    /// ```
    public static func fingerprint(of labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        for name in labels.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for byte in name.utf8 { add(byte) }
            add(0xFF)
            for byte in labels[name]!.utf8 { add(byte) }
            add(0xFF)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
