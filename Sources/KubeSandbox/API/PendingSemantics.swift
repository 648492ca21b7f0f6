import KubeCore

// Placeholders until branch `semantics` delivers these; deleted when it is merged.
enum StructuralSchema {
    static func validateAndDefault(_ object: JSONValue, schema: JSONValue) -> (object: JSONValue, errors: [(field: String, message: String)]) {
        (object, [])
    }
}
