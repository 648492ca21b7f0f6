/// A complete HTTP response.
public struct TransportResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Response headers with lower-cased names (the last value wins for repeated names).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
