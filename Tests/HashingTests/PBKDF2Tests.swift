import Hashing
import Testing

/// PBKDF2-HMAC-SHA256 vectors in the style of RFC 6070 (published for SHA-256, e.g. in RFC 7914 §11 and
/// the widely used Stack Overflow / Go x/crypto test tables).
@Suite("PBKDF2-HMAC-SHA256")
struct PBKDF2Tests {
    @Test("password / salt, c = 1, dkLen 32")
    func oneIteration() {
        #expect(Hex.encode(PBKDF2.sha256(password: "password", salt: "salt", iterations: 1))
            == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
    }

    @Test("password / salt, c = 2, dkLen 32")
    func twoIterations() {
        #expect(Hex.encode(PBKDF2.sha256(password: "password", salt: "salt", iterations: 2))
            == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
    }

    @Test("password / salt, c = 4096, dkLen 32")
    func manyIterations() {
        #expect(Hex.encode(PBKDF2.sha256(password: "password", salt: "salt", iterations: 4096))
            == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test("long password and salt, c = 4096, dkLen 40")
    func longInputs() {
        #expect(Hex.encode(PBKDF2.sha256(password: "passwordPASSWORDpassword", salt: "saltSALTsaltSALTsaltSALTsaltSALTsalt",
                                         iterations: 4096, byteCount: 40))
            == "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")
    }

    @Test("embedded NUL bytes, c = 4096, dkLen 16")
    func embeddedNul() {
        #expect(Hex.encode(PBKDF2.sha256(password: Array("pass\0word".utf8), salt: Array("sa\0lt".utf8),
                                         iterations: 4096, byteCount: 16))
            == "89b69d0516f829893c696226650a8687")
    }

    @Test("RFC 7914 §11: passwd / salt, c = 1, dkLen 64")
    func rfc7914() {
        #expect(Hex.encode(PBKDF2.sha256(password: "passwd", salt: "salt", iterations: 1, byteCount: 64))
            == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }
}
