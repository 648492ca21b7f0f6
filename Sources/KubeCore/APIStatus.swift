/// The reasons a Kubernetes API `Status` carries (`metav1.StatusReason`).
public enum StatusReason: String, Sendable, CaseIterable {
    case badRequest = "BadRequest"
    case unauthorized = "Unauthorized"
    case forbidden = "Forbidden"
    case notFound = "NotFound"
    case alreadyExists = "AlreadyExists"
    case conflict = "Conflict"
    case gone = "Gone"
    case expired = "Expired"
    case invalid = "Invalid"
    case methodNotAllowed = "MethodNotAllowed"
    case notAcceptable = "NotAcceptable"
    case unsupportedMediaType = "UnsupportedMediaType"
    case tooManyRequests = "TooManyRequests"
    case internalError = "InternalError"
    case serviceUnavailable = "ServiceUnavailable"
    case timeout = "Timeout"
    case unknown = ""
}

/// A failed API call as the server describes it: the `Status` object (`kind: Status`, `status: Failure`).
///
/// The sandbox writes these and the client decodes them, so both sides share this one type.
public struct APIStatus: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code (404, 409, 422, ...).
    public var code: Int
    /// The machine-readable reason.
    public var reason: StatusReason
    /// The human-readable message.
    public var message: String
    /// `details` as sent (name, group, kind, causes, retryAfterSeconds), if any.
    public var details: JSONValue?

    public init(code: Int, reason: StatusReason, message: String, details: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// Decodes a `Status` object; `nil` if `json` is not one.
    public init?(json: JSONValue) {
        guard json["kind"]?.stringValue == "Status", let code = json["code"]?.intValue else { return nil }
        self.code = code
        self.reason = StatusReason(rawValue: json["reason"]?.stringValue ?? "") ?? .unknown
        self.message = json["message"]?.stringValue ?? ""
        self.details = json["details"]
    }

    /// The `Status` object as the API server writes it.
    public var json: JSONValue {
        var o: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason.rawValue), "code": .int(code),
        ]
        if let details { o["details"] = details }
        return o
    }

    /// `details.retryAfterSeconds`, sent with 429 and some 5xx answers.
    public var retryAfterSeconds: Int? { details?["retryAfterSeconds"]?.intValue }

    public var description: String { "\(message) (\(reason.rawValue.isEmpty ? "code" : reason.rawValue) \(code))" }

    /// `404 NotFound` for `kind` `name`, worded like the API server: `deployments.apps "web" not found`.
    public static func notFound(resource: String, name: String, group: String = "", kind: String? = nil) -> APIStatus {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIStatus(
            code: 404, reason: .notFound, message: "\(qualified) \"\(name)\" not found",
            details: ["name": .string(name), "group": .string(group), "kind": .string(kind ?? resource)])
    }

    /// `409 AlreadyExists`: `configmaps "x" already exists`.
    public static func alreadyExists(resource: String, name: String, group: String = "") -> APIStatus {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIStatus(
            code: 409, reason: .alreadyExists, message: "\(qualified) \"\(name)\" already exists",
            details: ["name": .string(name), "group": .string(group), "kind": .string(resource)])
    }

    /// `409 Conflict` for a write against a stale resourceVersion, worded like the API server.
    public static func conflict(resource: String, name: String, group: String = "", message: String? = nil) -> APIStatus {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIStatus(
            code: 409, reason: .conflict,
            message: message ?? "Operation cannot be fulfilled on \(qualified) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            details: ["name": .string(name), "group": .string(group), "kind": .string(resource)])
    }

    /// `422 Invalid` with one cause per field error (`details.causes[].field`).
    public static func invalid(kind: String, name: String, group: String = "", causes: [(field: String, message: String)]) -> APIStatus {
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        return APIStatus(
            code: 422, reason: .invalid, message: "\(kind) \"\(name)\" is invalid: \(summary)",
            details: [
                "name": .string(name), "group": .string(group), "kind": .string(kind),
                "causes": .array(causes.map { ["reason": "FieldValueInvalid", "message": .string($0.message), "field": .string($0.field)] }),
            ])
    }

    /// `410 Expired`, as a watch ERROR event carries after compaction.
    public static func expired(_ message: String = "too old resource version") -> APIStatus {
        APIStatus(code: 410, reason: .expired, message: message)
    }
}
