/// Where generated passwords get their randomness. Production uses ``system`` (the OS CSPRNG: `getrandom(2)` on
/// Linux, via `SystemRandomNumberGenerator`); tests inject a deterministic source.
public struct RandomSource: Sendable {
    /// Returns `count` random bytes.
    private let bytes: @Sendable (Int) -> [UInt8]

    /// A source that returns the bytes `bytes(count)` gives (for tests: make it deterministic).
    public init(bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    /// The operating system's cryptographically secure generator.
    public static let system = RandomSource { count in
        var generator = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }

    /// The 62 letters and digits passwords are made of (safe in URLs, connection strings and shells).
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// The default password length: 40 characters of 62 symbols, about 238 bits.
    static let passwordLength = 40

    /// A password of `length` characters, uniformly distributed over ``alphabet`` (rejection sampling: bytes at
    /// or above 248 = 4 × 62 are discarded, so there is no modulo bias).
    func password(length: Int = RandomSource.passwordLength) -> String {
        let limit = UInt8(truncatingIfNeeded: (256 / Self.alphabet.count) * Self.alphabet.count)
        var result: [Character] = []
        result.reserveCapacity(length)
        var attempts = 0
        while result.count < length {
            attempts += 1
            let chunk = bytes(length * 2)
            for byte in chunk where byte < limit && result.count < length {
                result.append(Self.alphabet[Int(byte) % Self.alphabet.count])
            }
            // A broken source (say, all 0xFF) must not loop forever: fall back to the system generator.
            if attempts > 64 && result.count < length {
                return RandomSource.system.password(length: length)
            }
        }
        return String(result)
    }
}
