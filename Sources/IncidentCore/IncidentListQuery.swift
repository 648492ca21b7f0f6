/// The query of an incident list: `GET /incidents?status=&severity=&limit=&cursor=`, newest first.
public struct IncidentListQuery: Sendable, Equatable {
    /// Only incidents in this status; `nil` for all.
    public var status: IncidentStatus?
    /// Only incidents of this severity; `nil` for all.
    public var severity: Severity?
    /// The page size, 1...200.
    public var limit: Int
    /// The page continues with ids below this one (decoded from the opaque ``IncidentCursor``).
    public var cursor: Int64?

    /// A query from its parts; the defaults list the newest 50 incidents of any status and severity.
    public init(status: IncidentStatus? = nil, severity: Severity? = nil, limit: Int = InputLimits.defaultListLimit, cursor: Int64? = nil) {
        self.status = status
        self.severity = severity
        self.limit = limit
        self.cursor = cursor
    }

    /// From query parameters: status, severity (unknown → .invalid naming the parameter), limit 1...200 default 50,
    /// cursor opaque (see IncidentCursor).
    ///
    /// A parameter with an empty value counts as absent (`?status=` lists every status); other parameters are ignored.
    /// Every error is `.invalid` and names the parameter.
    public static func parse(_ query: [String: String]) throws(ValidationError) -> IncidentListQuery {
        var result = IncidentListQuery()
        if let text = value("status", in: query) {
            guard let status = IncidentStatus(rawValue: text) else {
                throw .invalid("status", "status must be one of \(IncidentStatus.allowedValues), not \(quoted(text))")
            }
            result.status = status
        }
        if let text = value("severity", in: query) {
            guard let severity = Severity(rawValue: text) else {
                throw .invalid("severity", "severity must be one of \(Severity.allowedValues), not \(quoted(text))")
            }
            result.severity = severity
        }
        if let text = value("limit", in: query) {
            guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let limit = Int(text),
                  (1...InputLimits.maxListLimit).contains(limit) else {
                throw .invalid("limit", "limit must be an integer from 1 to \(InputLimits.maxListLimit), not \(quoted(text))")
            }
            result.limit = limit
        }
        if let text = value("cursor", in: query) {
            guard let cursor = IncidentCursor.decode(text) else {
                throw .invalid("cursor", "cursor is not a cursor from a previous page: pass the cursor of the previous page unchanged, or leave it out for the first page")
            }
            result.cursor = cursor
        }
        return result
    }

    private static func value(_ name: String, in query: [String: String]) -> String? {
        guard let value = query[name], !value.isEmpty else { return nil }
        return value
    }
}
