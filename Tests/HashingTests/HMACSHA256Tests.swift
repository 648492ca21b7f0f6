import Hashing
import Testing

/// RFC 4231 test cases (case 5, a truncated output, is not applicable).
@Suite("HMAC-SHA256 (RFC 4231)")
struct HMACSHA256Tests {
    private func mac(key: [UInt8], data: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticationCode(for: data, key: key))
    }

    @Test("Case 1")
    func case1() {
        #expect(mac(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("Case 2: a key shorter than the block")
    func case2() {
        #expect(mac(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("Case 3: 0xaa key, 0xdd data")
    func case3() {
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test("Case 4: 0x01…0x19 key, 0xcd data")
    func case4() {
        #expect(mac(key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test("Case 6: a key longer than the block")
    func case6() {
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 131),
                    data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("Case 7: a long key and long data")
    func case7() {
        let data = "This is a test using a larger than block-size key and a larger than block-size data. "
            + "The key needs to be hashed before being used by the HMAC algorithm."
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 131), data: Array(data.utf8))
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test("String overload equals the byte overload")
    func stringOverload() {
        #expect(HMACSHA256.authenticationCode(for: "what do ya want for nothing?", key: "Jefe")
            == HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
    }
}
