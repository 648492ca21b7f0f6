import KubeCore

/// The OpenAPI v3 (structural) form of a schema node, as the CRD carries it.
extension SchemaNode {
    var openAPI: JSONValue {
        var o: JSONValue = ["description": .string(description)]
        switch kind {
        case .object(let properties):
            o["type"] = "object"
            if !properties.isEmpty {
                o["properties"] = .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.node.openAPI) }))
            }
        case .map(let node):
            o["type"] = "object"
            o["additionalProperties"] = node.openAPI
        case .array(let node):
            o["type"] = "array"
            o["items"] = node.openAPI
            if !listMapKeys.isEmpty {
                o["x-kubernetes-list-type"] = "map"
                o["x-kubernetes-list-map-keys"] = .array(listMapKeys.map(JSONValue.string))
            }
        case .string, .duration, .quantity(_, false):
            o["type"] = "string"
        case .integer:
            o["type"] = "integer"
        case .boolean:
            o["type"] = "boolean"
        case .number(let minimum, let maximum):
            o["type"] = "number"
            o["minimum"] = .double(minimum)
            o["maximum"] = .double(maximum)
        case .quantity(_, true), .intOrPercent:
            o["anyOf"] = [["type": "integer"], ["type": "string"]]
            o["x-kubernetes-int-or-string"] = true
        }
        if let defaultValue { o["default"] = defaultValue }
        if let minimum { o["minimum"] = .int(minimum) }
        if let maximum { o["maximum"] = .int(maximum) }
        if let maxLength { o["maxLength"] = .int(maxLength) }
        if let pattern { o["pattern"] = .string(pattern) }
        if let format { o["format"] = .string(format) }
        if !enumValues.isEmpty { o["enum"] = .array(enumValues.map(JSONValue.string)) }
        if !required.isEmpty { o["required"] = .array(required.map(JSONValue.string)) }
        if !rules.isEmpty {
            o["x-kubernetes-validations"] = .array(rules.map { rule in
                var r: JSONValue = ["rule": .string(rule.rule), "message": .string(rule.message)]
                if let reason = rule.reason { r["reason"] = .string(reason) }
                return r
            })
        }
        return o
    }
}
