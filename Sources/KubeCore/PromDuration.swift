/// A Prometheus-style duration (`15s`, `1m30s`, `2h`, `15d`, `2w`, `1y`, `500ms`), kept in milliseconds.
///
/// Units must appear at most once and from the largest to the smallest, as in Prometheus' `model.ParseDuration`;
/// a day is 24h, a week 7d and a year 365d. ``description`` prints the same form Prometheus prints.
///
/// ```swift
/// let d = try PromDuration(parsing: "1m30s")
/// d.milliseconds   // 90000
/// d.description    // "1m30s"
/// ```
public struct PromDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds.
    public let milliseconds: Int

    /// Units from the largest to the smallest, with their length in milliseconds.
    static let units: [(name: String, ms: Int)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// A duration of the given milliseconds.
    public init(milliseconds: Int) { self.milliseconds = milliseconds }

    /// A duration of the given seconds.
    public static func seconds(_ s: Int) -> PromDuration { PromDuration(milliseconds: s * 1000) }

    /// Parses `15s`, `1h30m`, `15d`, `0`; throws a ``PromDurationParseError`` naming the problem.
    public init(parsing text: String) throws {
        func fail(_ reason: String) -> PromDurationParseError { PromDurationParseError(input: text, reason: reason) }
        if text == "0" {
            self.init(milliseconds: 0)
            return
        }
        guard !text.isEmpty else { throw fail("it is empty") }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var total = 0
        var lastUnitIndex = -1
        while i < scalars.count {
            var number = 0
            let start = i
            while i < scalars.count, scalars[i].value >= 48, scalars[i].value <= 57 {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(scalars[i].value - 48))
                guard !o1, !o2 else { throw fail("it is too long") }
                number = s
                i += 1
            }
            guard i > start else {
                throw fail("expected a whole number at \"\(String(String.UnicodeScalarView(scalars[i...])))\"")
            }
            var unit = ""
            while i < scalars.count, scalars[i].properties.isAlphabetic {
                unit.unicodeScalars.append(scalars[i])
                i += 1
            }
            guard !unit.isEmpty else { throw fail("the number \(number) has no unit") }
            guard let index = Self.units.firstIndex(where: { $0.name == unit }) else {
                throw fail("unknown unit \"\(unit)\"")
            }
            guard index > lastUnitIndex else {
                throw fail("units must appear once each, from the largest to the smallest")
            }
            lastUnitIndex = index
            let (part, o1) = number.multipliedReportingOverflow(by: Self.units[index].ms)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { throw fail("it is too long") }
            total = sum
        }
        self.init(milliseconds: total)
    }

    /// The Prometheus form: `0s`, `15s`, `1m30s`, `2w`, `15d`; years and weeks only when exact.
    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ms < 0 ? "-" : ""
        ms = abs(ms)
        for (name, length) in Self.units {
            if (name == "y" || name == "w"), ms % length != 0 { continue }
            let count = ms / length
            if count > 0 {
                out += "\(count)\(name)"
                ms -= count * length
            }
        }
        return out
    }

    /// Orders by length.
    public static func < (lhs: PromDuration, rhs: PromDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

/// Why a string is not a Prometheus duration.
public struct PromDurationParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejected input.
    public let input: String
    /// What is wrong with it.
    public let reason: String
    /// `invalid duration "…": reason; expected a whole number and a unit (ms, s, m, h, d, w, y), like 15s, 1m30s or 15d`.
    public var description: String {
        "invalid duration \"\(input)\": \(reason); expected whole numbers with units (ms, s, m, h, d, w, y) from largest to smallest, like 15s, 1m30s or 15d"
    }
}
