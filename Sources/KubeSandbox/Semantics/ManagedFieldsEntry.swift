import KubeCore

/// One entry of `metadata.managedFields`: what one manager owns, through which operation.
struct ManagedFieldsEntry: Sendable, Equatable {
    enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    var manager: String
    var operation: Operation
    var apiVersion: String
    var time: String?
    var subresource: String?
    var fields: FieldSet

    /// Who the entry belongs to, as the API server keys them: appliers by name and subresource, updaters
    /// also by API version.
    struct Identity: Hashable, Sendable {
        var manager: String
        var operation: Operation
        var subresource: String
        var apiVersion: String
    }

    var identity: Identity {
        Identity(manager: manager, operation: operation, subresource: subresource ?? "",
                 apiVersion: operation == .apply ? "" : apiVersion)
    }

    /// How conflict messages name the manager: `"kubectl-client-side-apply" using apps/v1`.
    var displayName: String {
        var s = "\"\(manager)\""
        if let subresource, !subresource.isEmpty { s += " with subresource \"\(subresource)\"" }
        if operation == .update { s += " using \(apiVersion)" }
        return s
    }

    /// The JSON form, as stored in `metadata.managedFields`.
    var json: JSONValue {
        var o: JSONValue = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { o["time"] = .string(time) }
        if let subresource, !subresource.isEmpty { o["subresource"] = .string(subresource) }
        return o
    }

    init(manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource.flatMap { $0.isEmpty ? nil : $0 }
        self.fields = fields
    }

    /// Decodes one entry; nil when it is not a FieldsV1 entry with a known operation.
    init?(json: JSONValue) {
        guard let operation = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:)),
              (json["fieldsType"]?.stringValue ?? "FieldsV1") == "FieldsV1" else { return nil }
        self.init(manager: json["manager"]?.stringValue ?? "", operation: operation,
                  apiVersion: json["apiVersion"]?.stringValue ?? "", time: json["time"]?.stringValue,
                  subresource: json["subresource"]?.stringValue, fields: FieldSet(fieldsV1: json["fieldsV1"] ?? [:]))
    }

    /// Decodes `metadata.managedFields` of `object` (entries that cannot be read are dropped).
    static func entries(of object: JSONValue?) -> [ManagedFieldsEntry] {
        (object?["metadata", "managedFields"]?.arrayValue ?? []).compactMap(ManagedFieldsEntry.init(json:))
    }

    /// The entries in the API server's order: Apply before Update, then by time, manager, apiVersion,
    /// subresource.
    static func sorted(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        entries.sorted { p, q in
            (p.operation.rawValue, p.time ?? "", p.manager, p.apiVersion, p.subresource ?? "")
                < (q.operation.rawValue, q.time ?? "", q.manager, q.apiVersion, q.subresource ?? "")
        }
    }
}
