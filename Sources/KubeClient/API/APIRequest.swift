import KubeCore

/// A request before it becomes HTTP: verb, path, query, JSON body.
struct APIRequest: Sendable, Equatable {
    var method: String
    var path: String
    var query: [Query] = []
    var body: JSONValue?
    var contentType: String?

    struct Query: Sendable, Equatable {
        var name: String
        var value: String
    }

    init(method: String, path: String, query: [(String, String)] = [], body: JSONValue? = nil, contentType: String? = nil) {
        self.method = method
        self.path = path
        self.query = query.map { Query(name: $0.0, value: $0.1) }
        self.body = body
        self.contentType = contentType ?? (body == nil ? nil : "application/json")
    }

    /// `path?a=b&c=d`, with names and values percent-encoded.
    var pathWithQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// The HTTP request for `server` (no trailing slash), with credentials if any.
    func http(server: String, authorization: String?, userAgent: String) -> TransportRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", userAgent)]
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let authorization { headers.append(("Authorization", authorization)) }
        return TransportRequest(method: method, url: server + pathWithQuery, headers: headers, body: body?.jsonBytes())
    }
}
