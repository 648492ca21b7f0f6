import Testing
@testable import IncidentCore

@Suite struct DedupKeyTests {
    @Test func fingerprintIsSixteenLowercaseHexDigits() {
        let key = DedupKey.fingerprint(of: ["alertname": "DiskFull", "instance": "db-1"])
        #expect(key.count == 16)
        #expect(key.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func fingerprintMatchesAnIndependentComputation() {
        // Python: sha256(b"alertname\xffDiskFull\xffinstance\xffdb-1\xffseverity\xffwarning\xff").hexdigest()[:16]
        #expect(DedupKey.fingerprint(of: ["severity": "warning", "instance": "db-1", "alertname": "DiskFull"]) == "0a696f2a027cc0b4")
        // The empty label set hashes the empty text: SHA-256("") starts e3b0c442 98fc1c14.
        #expect(DedupKey.fingerprint(of: [:]) == "e3b0c44298fc1c14")
    }

    @Test func fingerprintIsIndependentOfInsertionOrder() {
        var forward: [String: String] = [:]
        var backward: [String: String] = [:]
        let names = (0..<40).map { "label_\($0)" }
        for name in names { forward[name] = "value of \(name)" }
        for name in names.reversed() { backward[name] = "value of \(name)" }
        // Dictionaries with different capacities iterate in different orders; the key must not care.
        var grown = backward
        grown.reserveCapacity(4096)
        #expect(DedupKey.fingerprint(of: forward) == DedupKey.fingerprint(of: backward))
        #expect(DedupKey.fingerprint(of: forward) == DedupKey.fingerprint(of: grown))
    }

    @Test func fingerprintDiffersForDifferentLabels() {
        let base = ["alertname": "DiskFull", "instance": "db-1"]
        let variants: [[String: String]] = [
            base,
            ["alertname": "DiskFull", "instance": "db-2"],
            ["alertname": "DiskFull"],
            ["alertname": "DiskFull", "instance": "db-1", "severity": "warning"],
            // Moving text between a name and its value, or between labels, changes the key.
            ["alertname": "DiskFullinstance", "": "db-1"],
            ["alertnameDiskFull": "", "instance": "db-1"],
            ["alertname": "DiskFull", "instanc": "edb-1"],
            [:],
        ]
        let keys = Set(variants.map(DedupKey.fingerprint(of:)))
        #expect(keys.count == variants.count)
    }
}
