import KubeCore
import KubeRuntime
import Testing
@testable import PlatformController

/// The live hashes recorded after applies: kept as numbers, given back exactly as they were recorded.
@Suite("Applied hashes")
struct AppliedHashesTests {
    @Test func givesBackEveryContentHashAsRecorded() {
        let hashes = AppliedHashes()
        let recorded = (0..<200).map { i in
            ObjectProjection.contentHash(of: ["n": .int(i)], paths: [["n"]])
        } + ["0000000000000000", "00000000000000ff", "ffffffffffffffff"]
        for (i, hash) in recorded.enumerated() { hashes.set("Deployment/ops/d\(i)", hash) }
        for (i, hash) in recorded.enumerated() { #expect(hashes.get("Deployment/ops/d\(i)") == hash) }
        #expect(hashes.count == recorded.count)
    }

    @Test func nilOrAnythingButAHashForgets() {
        let hashes = AppliedHashes()
        hashes.set("Service/ops/web", "0123456789abcdef")
        hashes.set("Service/ops/web", nil)
        #expect(hashes.get("Service/ops/web") == nil)
        hashes.set("Service/ops/api", "0123456789abcdef")
        hashes.set("Service/ops/api", "not-a-hash")
        #expect(hashes.get("Service/ops/api") == nil)
        #expect(hashes.count == 0)
    }
}
