/// A `HOST:PORT` listen address as controller-runtime's flags take it: `:8080` (all interfaces),
/// `127.0.0.1:0` (a free port), or `0` (off).
public struct BindAddress: Sendable, Equatable {
    /// The IPv4 address to bind.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int

    /// Parses `text`; nil for `0` (the endpoint is off). Throws ``BindAddressError`` for anything malformed.
    public static func parse(_ text: String, flag: String) throws -> BindAddress? {
        if text == "0" { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw BindAddressError(message: "invalid --\(flag) \"\(text)\": expected HOST:PORT such as :8080 or 127.0.0.1:8080, or 0 to turn it off")
        }
        let host = String(text[..<colon])
        return BindAddress(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }
}

/// A malformed listen address.
public struct BindAddressError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what is accepted.
    public let message: String
    public var description: String { message }
}
