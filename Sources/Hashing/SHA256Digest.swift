import COpenSSL
import FoundationEssentials

/// SHA-256 (FIPS 180-4), computed by OpenSSL's libcrypto.
///
/// ```swift
/// let digest = SHA256Digest.hash("abc")          // 32 bytes
/// let hex = SHA256Digest.hexHash("abc")          // "ba7816bf…"
/// ```
public enum SHA256Digest {
    /// The length of a digest in bytes.
    public static let byteCount = 32

    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        EVPDigest.compute(EVP_sha256(), bytes, byteCount: byteCount)
    }

    /// The SHA-256 digest of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> [UInt8] {
        hash(Array(text.utf8))
    }

    /// The SHA-256 digest of the UTF-8 bytes of `text`, as lowercase hex.
    public static func hexHash(_ text: String) -> String {
        Hex.encode(hash(text))
    }
}
