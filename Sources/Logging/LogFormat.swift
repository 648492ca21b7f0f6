/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: `ts`, `level`, `msg`, `logger`, then the key-values.
    case json
    /// `ts LEVEL logger msg key=value ...`, for people.
    case text
}
