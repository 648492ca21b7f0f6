import COpenSSL
import FoundationEssentials

/// PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018), computed by OpenSSL's
/// `PKCS5_PBKDF2_HMAC`. SCRAM-SHA-256's `Hi()` is this function with a 32-byte output.
public enum PBKDF2 {
    /// Derives `byteCount` bytes from `password` and `salt` with `iterations` rounds of HMAC-SHA256.
    public static func sha256(password: some ContiguousBytes, salt: some ContiguousBytes, iterations: Int, byteCount: Int = 32) -> [UInt8] {
        precondition(iterations > 0 && byteCount > 0, "PBKDF2 needs at least one iteration and one output byte")
        var output = [UInt8](repeating: 0, count: byteCount)
        let ok = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                output.withUnsafeMutableBufferPointer { out in
                    PKCS5_PBKDF2_HMAC(
                        passwordBytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(passwordBytes.count),
                        saltBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(saltBytes.count),
                        Int32(iterations), EVP_sha256(), Int32(byteCount), out.baseAddress
                    )
                }
            }
        }
        precondition(ok == 1, "OpenSSL PKCS5_PBKDF2_HMAC failed: \(OpenSSLErrorText.drain())")
        return output
    }

    /// Derives `byteCount` bytes from the UTF-8 bytes of `password` and `salt`.
    public static func sha256(password: String, salt: String, iterations: Int, byteCount: Int = 32) -> [UInt8] {
        sha256(password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations, byteCount: byteCount)
    }
}
