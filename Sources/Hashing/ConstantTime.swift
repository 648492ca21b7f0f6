import COpenSSL
import FoundationEssentials

/// Comparison of secrets (tokens, signatures, MACs) whose running time does not depend on their contents.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes, compared with OpenSSL's `CRYPTO_memcmp`.
    ///
    /// When the lengths differ the answer is `false` at once: only the lengths can leak through timing,
    /// never the position of the first differing byte.
    public static func equals(_ a: some ContiguousBytes, _ b: some ContiguousBytes) -> Bool {
        a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                guard left.count == right.count else { return false }
                guard left.count > 0 else { return true }
                return CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    /// Whether the UTF-8 bytes of `a` and `b` are equal, in constant time for equal lengths.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
