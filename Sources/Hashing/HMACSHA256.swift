import COpenSSL
import FoundationEssentials

/// HMAC-SHA256 (RFC 2104, RFC 4231), computed by OpenSSL's libcrypto.
///
/// ```swift
/// let mac = HMACSHA256.authenticationCode(for: Array("message".utf8), key: Array("key".utf8))
/// ```
public enum HMACSHA256 {
    /// The length of a code in bytes.
    public static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(for message: some ContiguousBytes, key: some ContiguousBytes) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                output.withUnsafeMutableBufferPointer { out in
                    HMAC(
                        EVP_sha256(),
                        keyBytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(keyBytes.count),
                        messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                        out.baseAddress, &length
                    )
                }
            }
        }
        precondition(result != nil && Int(length) == byteCount, "OpenSSL HMAC failed: \(OpenSSLErrorText.drain())")
        return Array(output.prefix(byteCount))
    }

    /// The HMAC-SHA256 of the UTF-8 bytes of `message` under the UTF-8 bytes of `key`.
    public static func authenticationCode(for message: String, key: String) -> [UInt8] {
        authenticationCode(for: Array(message.utf8), key: Array(key.utf8))
    }
}
