import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Timestamps in PostgreSQL's ISO text format, in UTC, to the microsecond; without DateFormatter (slow, and
/// not needed for one fixed format).
enum PostgresTimestamp {
    /// "YYYY-MM-DD HH:MM:SS.ffffff+00".
    static func format(_ date: Date) -> String {
        let totalMicroseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicroseconds / 1_000_000
        var micros = totalMicroseconds % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        var text = ""
        text.reserveCapacity(29)
        if year <= 0 { return bcFormat(year: year, parts: parts, micros: Int(micros)) }
        text += pad(year, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
        text += " " + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
        text += "." + pad(Int(micros), 6) + "+00"
        return text
    }

    private static func bcFormat(year: Int, parts: tm, micros: Int) -> String {
        pad(1 - year, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2) + " "
            + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(micros, 6) + "+00 BC"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Parses "YYYY-MM-DD[ HH:MM:SS[.f…]][±HH[:MM[:SS]]][ BC]", "infinity" and "-infinity".
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var bytes = Array(text.utf8)
        var isBC = false
        if bytes.count > 3, bytes.suffix(3) == Array(" BC".utf8) {
            isBC = true
            bytes.removeLast(3)
        }
        var index = 0
        func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while index < bytes.count, count < maxDigits, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                count += 1
            }
            return count >= minDigits ? value : nil
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard var year = number(minDigits: 4, maxDigits: 9), expect("-"),
              let month = number(minDigits: 2, maxDigits: 2), expect("-"),
              let day = number(minDigits: 2, maxDigits: 2) else { return nil }
        if isBC { year = 1 - year }
        var hour = 0, minute = 0, second = 0, micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "T") {
            index += 1
            guard let h = number(minDigits: 2, maxDigits: 2), expect(":"),
                  let m = number(minDigits: 2, maxDigits: 2), expect(":"),
                  let s = number(minDigits: 2, maxDigits: 2) else { return nil }
            hour = h; minute = m; second = s
            if expect(".") {
                let start = index
                guard let fraction = number(minDigits: 1, maxDigits: 6) else { return nil }
                var scale = 1
                for _ in 0..<(6 - (index - start)) { scale *= 10 }
                micros = fraction * scale
            }
        }
        var offsetSeconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(minDigits: 2, maxDigits: 2) else { return nil }
            var minutes = 0, seconds = 0
            if expect(":") {
                guard let m = number(minDigits: 2, maxDigits: 2) else { return nil }
                minutes = m
                if expect(":") {
                    guard let s = number(minDigits: 2, maxDigits: 2) else { return nil }
                    seconds = s
                }
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day),
              hour <= 24, minute <= 59, second <= 60 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epochSeconds = Int64(timegm(&parts)) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(epochSeconds * 1_000_000 + Int64(micros)) / 1_000_000)
    }
}
