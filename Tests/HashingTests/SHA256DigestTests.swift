import Hashing
import Testing

@Suite("SHA-256 and MD5 digests")
struct DigestTests {
    @Test("SHA-256 of \"abc\" (FIPS 180-2, appendix B.1)")
    func sha256OfABC() {
        #expect(SHA256Digest.hexHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("SHA-256 of the empty string")
    func sha256OfEmpty() {
        #expect(Hex.encode(SHA256Digest.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of the two-block FIPS 180-2 message")
    func sha256TwoBlocks() {
        #expect(SHA256Digest.hexHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("MD5 of \"\" and \"abc\" (RFC 1321)")
    func md5() {
        #expect(MD5Digest.hexHash("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5Digest.hexHash("abc") == "900150983cd24fb0d6963f7d28e17f72")
    }
}
