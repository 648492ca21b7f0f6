import Foundation

/// Timestamps as the API server writes them, and ages as kubectl prints them.
enum Age {
    /// Now as RFC 3339 with second precision (`2026-01-02T03:04:05Z`).
    static func nowTimestamp() -> String { Date().formatted(.iso8601) }

    /// The age of a timestamp, e.g. `45s`, `3m12s`, `5h`, `2d3h` (`<unknown>` if it cannot be read).
    static func since(timestamp: String) -> String {
        guard let date = try? Date(timestamp, strategy: .iso8601) else { return "<unknown>" }
        return human(seconds: Int(Date().timeIntervalSince(date)))
    }

    /// kubectl's `HumanDuration`.
    static func human(seconds raw: Int) -> String {
        let s = max(0, raw)
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        let d = h / 24
        if h < 24 * 8 { return h % 24 == 0 ? "\(d)d" : "\(d)d\(h % 24)h" }
        if d < 365 * 2 { return "\(d)d" }
        return "\(d / 365)y"
    }
}
