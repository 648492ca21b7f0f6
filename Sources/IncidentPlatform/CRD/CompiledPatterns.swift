import Foundation

/// The schema's regular expressions, each compiled once: compiling a `Regex` costs far more than matching
/// it, and validation matches the same few patterns for every platform (it was 14 % of the operator's CPU).
final class CompiledPatterns: @unchecked Sendable {
    // @unchecked: `regexes` is only touched under `lock`; a compiled Regex is immutable and safe to share.
    private let lock = NSLock()
    private var regexes: [String: Regex<AnyRegexOutput>] = [:]

    /// The patterns of every schema.
    static let shared = CompiledPatterns()

    /// Whether the whole of `s` matches `pattern`; false for a pattern that does not compile.
    func wholeMatch(_ s: String, _ pattern: String) -> Bool {
        guard let regex = regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: s)) != nil
    }

    private func regex(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let cached = lock.withLock({ regexes[pattern] }) { return cached }
        guard let compiled = try? Regex(pattern) else { return nil }
        lock.withLock { regexes[pattern] = compiled }
        return compiled
    }
}
