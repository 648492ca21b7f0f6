import HTTPServer
import IncidentCore
import PostgresClient

/// An error answer: `{"error":{"code":"...","message":"..."}}` with the status HTTP gives that meaning.
public struct APIError: Error, Sendable {
    /// The HTTP status.
    public var status: Int
    /// A stable machine-readable code (`unauthorized`, `not_found`, `invalid_field`, ...).
    public var code: String
    /// What went wrong and how to fix it.
    public var message: String
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: [(name: String, value: String)] = []

    /// Creates an error answer.
    public init(_ status: Int, _ code: String, _ message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// The response.
    public var response: HTTPResponse {
        var response = JSONBody.response(status, ["error": ["code": code, "message": message]] as [String: [String: String]])
        response.headers += headers
        return response
    }

    static func notFound(_ what: String) -> APIError { APIError(404, "not_found", "\(what) not found") }

    /// A body or query the input rules refused: 400 when malformed, 422 when it breaks a rule.
    static func validation(_ error: ValidationError) -> APIError {
        switch error.kind {
        case .malformed: APIError(400, "malformed_request", error.message)
        case .invalid: APIError(422, "invalid_field", error.message)
        }
    }

    /// A database failure: 503 while it cannot be reached (retry later), 500 otherwise (never its text: it may
    /// quote data).
    static func database(_ error: PostgresError) -> APIError {
        if error.kind == .poolTimeout {
            return APIError(503, "busy", "every database connection of this replica is busy (DATABASE_POOL_SIZE); retry shortly",
                            headers: [("Retry-After", "1")])
        }
        if error.isConnectionFailure {
            return APIError(503, "database_unavailable", "the database is unreachable; retry shortly", headers: [("Retry-After", "1")])
        }
        return APIError(500, "internal_error", "the request failed in the database (SQLSTATE \(error.sqlState ?? "none")); see the service log")
    }

    /// The answer the HTTP server gives to requests it rejects before routing (413, 431, 400).
    static func serverRejection(_ status: Int, _ message: String) -> HTTPResponse {
        let code = switch status {
        case 413: "body_too_large"
        case 431: "headers_too_large"
        default: "malformed_request"
        }
        return APIError(status, code, message).response
    }
}
