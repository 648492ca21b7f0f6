import HTTPServer
import IncidentCore
import IncidentStore
import PostgresClient

/// incident-management's API: open, list, read, acknowledge, resolve and annotate incidents.
struct IncidentsAPI: Sendable {
    let repository: IncidentRepository

    var routes: [Route] {
        [
            Route("POST", "/api/v1/incidents") { request, _ throws(APIError) in try create(request) },
            Route("GET", "/api/v1/incidents") { request, _ throws(APIError) in try list(request) },
            Route("GET", "/api/v1/incidents/{id}") { _, params throws(APIError) in try show(params) },
            Route("POST", "/api/v1/incidents/{id}/acknowledge") { request, params throws(APIError) in
                try transition(.acknowledge, request, params)
            },
            Route("POST", "/api/v1/incidents/{id}/resolve") { request, params throws(APIError) in
                try transition(.resolve, request, params)
            },
            Route("POST", "/api/v1/incidents/{id}/notes") { request, params throws(APIError) in try note(request, params) },
        ]
    }

    func create(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let new = try parse { () throws(ValidationError) in try NewIncident.parse(request.body) }
        let incident = try database { try repository.create(new) }
        return JSONBody.response(201, IncidentJSON(incident), headers: [("Location", "/api/v1/incidents/\(incident.id)")])
    }

    func list(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let query = try parse { () throws(ValidationError) in try IncidentListQuery.parse(request.query) }
        let page = try database { try repository.list(query) }
        return JSONBody.response(200, IncidentPageJSON(incidents: page.incidents.map { IncidentJSON($0) },
                                                       nextCursor: page.nextCursor.map(IncidentCursor.encode)))
    }

    func show(_ params: [String: String]) throws(APIError) -> HTTPResponse {
        let id = try Self.id(params)
        guard let found = try database({ try repository.get(id) }) else { throw .notFound("incident \(id)") }
        return JSONBody.response(200, IncidentJSON(found.incident, timeline: found.timeline))
    }

    func transition(_ transition: IncidentTransition, _ request: HTTPRequest, _ params: [String: String]) throws(APIError) -> HTTPResponse {
        let id = try Self.id(params)
        let input = try parse { () throws(ValidationError) in try TransitionRequest.parse(request.body) }
        switch try database({ try repository.transition(id, transition, by: input.by, note: input.note) }) {
        case .notFound:
            throw .notFound("incident \(id)")
        case .conflict(let reason):
            throw APIError(409, "invalid_transition", reason)
        case .done(let incident, _):
            return JSONBody.response(200, IncidentJSON(incident))
        }
    }

    func note(_ request: HTTPRequest, _ params: [String: String]) throws(APIError) -> HTTPResponse {
        let id = try Self.id(params)
        let input = try parse { () throws(ValidationError) in try NoteRequest.parse(request.body) }
        guard let entry = try database({ try repository.addNote(id, by: input.by, text: input.text) }) else {
            throw .notFound("incident \(id)")
        }
        return JSONBody.response(201, TimelineEntryJSON(entry))
    }

    /// The `{id}` of the path: a positive integer, else 404 (no such incident can exist).
    static func id(_ params: [String: String]) throws(APIError) -> Int64 {
        guard let text = params["id"], let id = Int64(text), id > 0 else {
            throw .notFound("incident \(params["id"] ?? "")")
        }
        return id
    }
}

/// Runs input parsing, mapping its error to a 400 or 422 answer.
func parse<T>(_ body: () throws(ValidationError) -> T) throws(APIError) -> T {
    do { return try body() } catch { throw .validation(error) }
}

/// Runs database work, mapping its errors to 503 (unreachable) or 500 answers.
func database<T>(_ body: () throws -> T) throws(APIError) -> T {
    do {
        return try body()
    } catch let error as PostgresError {
        throw .database(error)
    } catch let error as APIError {
        throw error
    } catch {
        throw APIError(500, "internal_error", "unexpected error: \(error)")
    }
}
