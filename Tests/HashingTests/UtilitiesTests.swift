import Hashing
import Testing

@Suite("Random bytes, constant-time comparison, hex")
struct UtilitiesTests {
    @Test("SecureRandom gives the requested count and differs between calls")
    func randomBytes() {
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(SecureRandom.bytes(0).isEmpty)
    }

    @Test("ConstantTime.equals compares contents and lengths")
    func constantTime() {
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals("secret-token", "secret-token"))
        #expect(!ConstantTime.equals("secret-token", "secret-tokeN"))
    }

    @Test("Hex round-trips and rejects bad input")
    func hex() {
        #expect(Hex.encode([0x00, 0x7f, 0xff, 0xab]) == "007fffab")
        #expect(Hex.decode("007FffAB") == [0x00, 0x7f, 0xff, 0xab])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }
}
