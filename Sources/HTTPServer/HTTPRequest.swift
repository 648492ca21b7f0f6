/// One parsed HTTP/1.1 request: method, target, headers and the whole body (already de-chunked).
public struct HTTPRequest: Sendable {
    /// The method, upper-case (`GET`, `POST`, ...).
    public var method: String
    /// The path part of the target, percent-decoded (`/api/v1/namespaces`).
    public var path: String
    /// The raw query string without `?` (empty if none).
    public var rawQuery: String
    /// The headers in arrival order; names as sent. Use ``header(_:)`` for case-insensitive lookup.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a request (used by the parser and by tests).
    public init(method: String, path: String, rawQuery: String = "", headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The query parameters, percent-decoded (`+` is a space); a repeated key keeps its last value.
    public var query: [String: String] {
        var result: [String: String] = [:]
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = HTTPRequest.percentDecode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? HTTPRequest.percentDecode(String(parts[1]), plusIsSpace: true) : ""
            result[key] = value
        }
        return result
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`); malformed escapes are kept as they are.
    public static func percentDecode(_ s: String, plusIsSpace: Bool = false) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
