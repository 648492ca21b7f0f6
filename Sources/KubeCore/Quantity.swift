/// A Kubernetes resource quantity (`500m`, `10Gi`, `1.5`, `1e3`, `2k`), parsed exactly and compared by value.
///
/// The value is kept as an integer number of nano-units, so `0.5Gi`, `512Mi` and `536870912` compare equal,
/// and sub-nano fractions round up (as Kubernetes does). ``description`` is the canonical form Kubernetes
/// itself would print, in the notation of the input (binary `Ki…Ei`, decimal `n…E`, or exponent `eN`).
///
/// ```swift
/// let size = try Quantity(parsing: "10Gi")
/// size > (try Quantity(parsing: "9000Mi"))   // true
/// (try Quantity(parsing: "1.5")).description // "1500m"
/// ```
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How the quantity was written; the canonical string keeps this notation.
    public enum Format: Sendable, Hashable {
        /// Powers of 1024: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
        case binarySI
        /// Powers of 1000: `n`, `u`, `m`, (none), `k`, `M`, `G`, `T`, `P`, `E`.
        case decimalSI
        /// A decimal exponent: `1e3`, `5E-3`.
        case decimalExponent
    }

    /// The value in nano-units (1 = 0.000000001).
    public let nanoValue: Int128
    /// The notation of the input.
    public let format: Format

    static let nanosPerUnit: Int128 = 1_000_000_000

    /// Creates a quantity from a number of nano-units.
    public init(nanoValue: Int128, format: Format = .decimalSI) {
        self.nanoValue = nanoValue
        self.format = format
    }

    /// A whole number of base units (cores, bytes), e.g. `Quantity(units: 2)` for `cpu: 2`.
    public init(units: Int) {
        self.init(nanoValue: Int128(units) * Self.nanosPerUnit, format: .decimalSI)
    }

    /// Parses a quantity string; throws a ``QuantityParseError`` that says what is wrong and what is expected.
    public init(parsing text: String) throws {
        let parsed = try QuantityParser.parse(text)
        self.init(nanoValue: parsed.nanos, format: parsed.format)
    }

    /// The value rounded up to a whole number of base units (bytes, cores), as Kubernetes' `Value()`.
    public var value: Int128 {
        let (q, r) = nanoValue.quotientAndRemainder(dividingBy: Self.nanosPerUnit)
        return r > 0 ? q + 1 : q
    }

    /// The value rounded up to thousandths (millicores), as Kubernetes' `MilliValue()`.
    public var milliValue: Int128 {
        let (q, r) = nanoValue.quotientAndRemainder(dividingBy: 1_000_000)
        return r > 0 ? q + 1 : q
    }

    /// The canonical string, e.g. `10Gi`, `500m`, `1500m` for `1.5`, `512Mi` for `0.5Gi`.
    public var description: String { QuantityFormatter.canonical(self) }

    /// Equal values are equal whatever their notation: `512Mi == 0.5Gi`.
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue == rhs.nanoValue }
    /// Hashes the value only, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(nanoValue) }
    /// Orders by value: `1G < 1Gi`.
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue < rhs.nanoValue }
}

/// Why a string is not a quantity.
public struct QuantityParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejected input.
    public let input: String
    /// What is wrong with it.
    public let reason: String
    /// `invalid quantity "…": reason; expected a number with an optional suffix like 500m, 2, 1.5, 100Mi, 10Gi or 1e3`.
    public var description: String {
        "invalid quantity \"\(input)\": \(reason); expected a number with an optional suffix like 500m, 2, 1.5, 100Mi, 10Gi or 1e3"
    }
}

enum QuantityParser {
    static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
    static let decimalSuffixes: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
    /// Larger values than this many nano-units (about 1.7e29 base units) are rejected as too large.
    static let limit: Int128 = Int128.max / 1024

    static func parse(_ text: String) throws -> (nanos: Int128, format: Quantity.Format) {
        func fail(_ reason: String) -> QuantityParseError { QuantityParseError(input: text, reason: reason) }
        guard !text.isEmpty else { throw fail("it is empty") }
        var chars = Array(text.unicodeScalars)
        var negative = false
        if chars.first == "+" || chars.first == "-" {
            negative = chars.first == "-"
            chars.removeFirst()
        }
        var intDigits: [UInt8] = []
        var fracDigits: [UInt8] = []
        var i = 0
        while i < chars.count, let d = digit(chars[i]) { intDigits.append(d); i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, let d = digit(chars[i]) { fracDigits.append(d); i += 1 }
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { throw fail("it does not start with a number") }
        let suffix = String(String.UnicodeScalarView(chars[i...]))
        var format = Quantity.Format.decimalSI
        var exp10 = 0
        var exp2 = 0
        if let e = binarySuffixes[suffix] {
            format = .binarySI
            exp2 = e
        } else if let e = decimalSuffixes[suffix] {
            exp10 = e
        } else if suffix.first == "e" || suffix.first == "E" {
            guard let e = Int(suffix.dropFirst()), suffix.count <= 5 else {
                throw fail("the exponent \"\(suffix)\" is not a small integer")
            }
            format = .decimalExponent
            exp10 = e
        } else if suffix.contains(where: \.isWhitespace) {
            throw fail("it contains whitespace")
        } else {
            throw fail("unknown suffix \"\(suffix)\" (suffixes are case-sensitive: Ki Mi Gi Ti Pi Ei, n u m k M G T P E)")
        }
        // value = 0.<digits> scaled: mantissa * 10^(exp10 - fracDigits.count) * 2^exp2, in nanos (+9).
        var mantissa: Int128 = 0
        for d in intDigits + fracDigits {
            let (m, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int128(d))
            guard !o1, !o2, s <= limit else { throw fail("it is too large") }
            mantissa = s
        }
        var power = exp10 - fracDigits.count + 9
        var value = mantissa
        var roundUp = false
        // Apply the binary exponent first (exact), then the decimal one.
        for _ in 0..<exp2 {
            value *= 2
            guard value <= limit else { throw fail("it is too large") }
        }
        while power > 0 {
            value *= 10
            guard value <= limit else { throw fail("it is too large") }
            power -= 1
        }
        while power < 0 {
            let (q, r) = value.quotientAndRemainder(dividingBy: 10)
            if r != 0 { roundUp = true }
            value = q
            power += 1
        }
        if roundUp { value += 1 }
        return (negative ? -value : value, format)
    }

    private static func digit(_ c: Unicode.Scalar) -> UInt8? {
        guard c.value >= 48, c.value <= 57 else { return nil }
        return UInt8(c.value - 48)
    }
}

enum QuantityFormatter {
    static func canonical(_ q: Quantity) -> String {
        let nanos = q.nanoValue
        if nanos == 0 { return "0" }
        let sign = nanos < 0 ? "-" : ""
        let magnitude = nanos.magnitude
        let perUnit = UInt128(Quantity.nanosPerUnit)
        if q.format == .binarySI, magnitude % perUnit == 0 {
            var units = magnitude / perUnit
            if units >= 1024 {
                let names = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                var index = 0
                while index < names.count - 1, units % 1024 == 0 {
                    units /= 1024
                    index += 1
                }
                return "\(sign)\(units)\(names[index])"
            }
        }
        // Decimal: the largest power of 1000 (from nano up) that divides the value exactly.
        var value = magnitude
        var exponent = -9
        while exponent < 18, value % 1000 == 0 {
            value /= 1000
            exponent += 3
        }
        if q.format == .decimalExponent {
            return exponent == 0 ? "\(sign)\(value)" : "\(sign)\(value)e\(exponent)"
        }
        let names: [Int: String] = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
        return "\(sign)\(value)\(names[exponent] ?? "")"
    }
}
