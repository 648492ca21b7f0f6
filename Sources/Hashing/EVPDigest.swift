import COpenSSL
import FoundationEssentials

/// One-shot message digests through OpenSSL's `EVP_Digest`.
enum EVPDigest {
    static func compute(_ type: OpaquePointer?, _ bytes: some ContiguousBytes, byteCount: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress ?? UnsafeRawPointer(bitPattern: 1), input.count, out.baseAddress, &length, type, nil)
            }
        }
        precondition(ok == 1 && Int(length) == byteCount, "OpenSSL EVP_Digest failed: \(OpenSSLErrorText.drain())")
        return Array(output.prefix(byteCount))
    }
}
