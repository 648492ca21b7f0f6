import HTTPServer
import KubeCore

extension SandboxAPI {
    /// Whether the client prefers a `meta.k8s.io` Table (kubectl get).
    func wantsTable(_ request: HTTPRequest) -> Bool {
        guard let accept = request.header("Accept") else { return false }
        let first = accept.split(separator: ",").first.map(String.init) ?? ""
        return first.contains("as=Table")
    }

    /// A Table of `objects`: NAME, the type's printer columns, AGE (unless a printer column is the creation
    /// timestamp), one row per object with the object itself (`includeObject=Object`) or its metadata.
    func table(_ type: ResourceType, _ objects: [JSONValue], resourceVersion: String, includeObject: String?) -> JSONValue {
        var columns: [PrinterColumn] = [PrinterColumn(name: "Name", format: "name", description: "Name must be unique within a namespace.") { $0.name.map(JSONValue.string) ?? .null }]
        columns += type.columns
        if !type.columns.contains(where: { $0.type == "date" || $0.name == "Age" || $0.name == "Created At" }) {
            columns.append(PrinterColumn(name: "Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.") {
                .string(Age.since(timestamp: $0["metadata", "creationTimestamp"]?.stringValue ?? ""))
            })
        }
        let definitions: [JSONValue] = columns.map {
            ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format), "description": .string($0.description), "priority": .int($0.priority)]
        }
        let rows: [JSONValue] = objects.map { o in
            var embedded: JSONValue
            switch includeObject {
            case "Object": embedded = o
            case "None": embedded = .null
            default: embedded = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"] ?? [:]]
            }
            var row: JSONValue = ["cells": .array(columns.map { $0.cell(o) })]
            if !embedded.isNull { row["object"] = embedded }
            return row
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(resourceVersion)],
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }
}
