import HTTPServer

/// One route: a method and a path pattern whose `{name}` segments capture values.
struct Route: Sendable {
    typealias Handler = @Sendable (HTTPRequest, [String: String]) throws(APIError) -> HTTPResponse

    let method: String
    let segments: [Substring]
    let handler: Handler
    /// Whether the route writes: writes need the API token.
    let isWrite: Bool

    init(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        self.method = method
        self.segments = pattern.split(separator: "/")
        self.handler = handler
        self.isWrite = method != "GET" && method != "HEAD"
    }

    /// The captured values when `path` matches the pattern, else nil.
    func match(_ path: String) -> [String: String]? {
        let parts = path.split(separator: "/")
        guard parts.count == segments.count else { return nil }
        var captured: [String: String] = [:]
        for (pattern, part) in zip(segments, parts) {
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                captured[String(pattern.dropFirst().dropLast())] = String(part)
            } else if pattern != part {
                return nil
            }
        }
        return captured
    }
}
