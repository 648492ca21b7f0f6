import COpenSSL
import FoundationEssentials

/// MD5 (RFC 1321), computed by OpenSSL's libcrypto.
///
/// MD5 is broken as a cryptographic hash: it is here only for PostgreSQL's legacy `md5` password
/// authentication. Use ``SHA256Digest`` for anything else.
public enum MD5Digest {
    /// The length of a digest in bytes.
    public static let byteCount = 16

    /// The MD5 digest of `bytes`.
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        EVPDigest.compute(EVP_md5(), bytes, byteCount: byteCount)
    }

    /// The MD5 digest of the UTF-8 bytes of `text`, as lowercase hex (the form PostgreSQL's md5 auth uses).
    public static func hexHash(_ text: String) -> String {
        Hex.encode(hash(Array(text.utf8)))
    }

    /// The MD5 digest of `bytes`, as lowercase hex.
    public static func hexHash(_ bytes: [UInt8]) -> String {
        Hex.encode(hash(bytes))
    }
}
