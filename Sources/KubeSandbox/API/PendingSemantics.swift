import KubeCore

// Placeholders until branch `semantics` delivers these; deleted when it is merged.
enum FieldManager {
    static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool, subresource: String?, now: String) throws -> JSONValue {
        throw APIStatus(code: 415, reason: .unsupportedMediaType, message: "server-side apply is not implemented in the sandbox yet")
    }

    static func update(old: JSONValue?, new: JSONValue, manager: String, subresource: String?, now: String) -> JSONValue { new }
}

enum StructuralSchema {
    static func validateAndDefault(_ object: JSONValue, schema: JSONValue) -> (object: JSONValue, errors: [(field: String, message: String)]) {
        (object, [])
    }
}
