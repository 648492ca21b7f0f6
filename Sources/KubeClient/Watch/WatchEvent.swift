import KubeCore

/// One event of a watch stream. ERROR events do not appear here: they end the stream with a thrown
/// ``KubeClientError`` (`.expired` for 410, so the caller lists again).
public enum WatchEvent: Sendable, Equatable {
    case added(JSONValue)
    case modified(JSONValue)
    case deleted(JSONValue)
    /// The server's progress marker: nothing changed up to this resourceVersion. Resume watching from it.
    case bookmark(resourceVersion: String)

    /// The resourceVersion to resume from after this event.
    public var resourceVersion: String? {
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): return o.resourceVersion
        case .bookmark(let rv): return rv
        }
    }

    /// The object of an ADDED, MODIFIED or DELETED event.
    public var object: JSONValue? {
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): return o
        case .bookmark: return nil
        }
    }

    /// Decodes one line of a watch stream: `{"type": "ADDED", "object": {...}}`. An ERROR event throws.
    init(line: [UInt8]) throws {
        let json: JSONValue
        do {
            json = try JSONValue(jsonBytes: line)
        } catch {
            throw KubeClientError.invalidResponse("a watch event is not JSON: \(error)")
        }
        guard let type = json["type"]?.stringValue, let object = json["object"] else {
            throw KubeClientError.invalidResponse("a watch event lacks type or object: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        switch type {
        case "ADDED": self = .added(object)
        case "MODIFIED": self = .modified(object)
        case "DELETED": self = .deleted(object)
        case "BOOKMARK": self = .bookmark(resourceVersion: object.resourceVersion ?? "")
        case "ERROR":
            let status = APIStatus(json: object) ?? APIStatus(code: 500, reason: .unknown, message: object.jsonString())
            if status.code == 410 { throw KubeClientError.expired(status) }
            throw KubeClientError.api(status, retryAfterSeconds: nil)
        default:
            throw KubeClientError.invalidResponse("unknown watch event type \(type)")
        }
    }
}
