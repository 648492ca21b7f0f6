import FoundationEssentials
import HTTPServer

/// JSON response bodies: sorted keys, dates as RFC 3339 UTC with milliseconds.
enum JSONBody {
    private static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `date` as the API writes it: `2026-12-06T10:00:00.123Z`.
    static func timestamp(_ date: Date) -> String { date.formatted(dateStyle) }

    /// A JSON response from an `Encodable` value.
    static func response(_ status: Int, _ value: some Encodable, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: .bytes(Array(data) + [0x0A]))
    }
}
