import Foundation
import KubeCore

/// What the API server does to a custom resource with its CRD version's structural `openAPIV3Schema`
/// on every write: prune unknown fields, apply `default`s, then validate.
///
/// - Pruning drops fields the schema does not declare, unless `x-kubernetes-preserve-unknown-fields: true`
///   (or `additionalProperties` declares a map). At the root (and in `x-kubernetes-embedded-resource`
///   objects) `apiVersion`, `kind` and `metadata` are always kept; `metadata` keeps the ObjectMeta fields.
/// - Defaulting fills missing fields (and `null` in non-nullable fields) with their `default`, top-down, so
///   the defaults of a defaulted object apply too. `null` in a non-nullable field without default is dropped.
/// - Validation checks `type` (string, integer, number, boolean, object, array), `x-kubernetes-int-or-string`,
///   `nullable`, `required`, `enum`, `minimum`/`maximum` (and exclusive), `multipleOf`, `minLength`/`maxLength`,
///   `pattern`, `minItems`/`maxItems`, `minProperties`/`maxProperties`, the uniqueness of `set` and `map`
///   lists, and `additionalProperties` schemas of maps. Messages are the API server's. CEL rules
///   (`x-kubernetes-validations`), `format`, `allOf`/`anyOf`/`oneOf`/`not` are not evaluated.
enum StructuralSchema {
    typealias FieldError = (field: String, message: String)

    /// The ObjectMeta fields kept in a custom resource's `metadata`.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]

    /// The pruned, defaulted object and the validation errors (empty when valid), each with its field path
    /// (`spec.replicas`) and message (`Invalid value: "string": spec.replicas in body must be of type integer: "string"`).
    static func validateAndDefault(_ object: JSONValue, schema: JSONValue) -> (object: JSONValue, errors: [(field: String, message: String)]) {
        var unknown: [String] = []
        let pruned = prune(object, schema: schema, path: "", isResource: true, unknown: &unknown)
        let defaulted = applyDefaults(pruned, schema: schema, isResource: true)
        var errors: [FieldError] = []
        validate(defaulted, schema: schema, path: "", isResource: true, errors: &errors)
        return (defaulted, errors)
    }

    /// The paths of the fields pruning would drop (`spec.foo`, `spec.items[0].bar`), for
    /// `fieldValidation=Strict` (the server answers 400 `strict decoding error: unknown field "spec.foo"`).
    static func unknownFields(_ object: JSONValue, schema: JSONValue) -> [String] {
        var unknown: [String] = []
        _ = prune(object, schema: schema, path: "", isResource: true, unknown: &unknown)
        return unknown.sorted()
    }

    // MARK: Pruning

    private static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func preservesUnknown(_ schema: JSONValue) -> Bool {
        schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
    }

    private static func prune(_ value: JSONValue, schema: JSONValue, path: String, isResource: Bool, unknown: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            let isEmbedded = isResource || schema["x-kubernetes-embedded-resource"]?.boolValue == true
            for (key, member) in members {
                let memberPath = child(path, key)
                if isEmbedded && (key == "apiVersion" || key == "kind") {
                    result[key] = member
                } else if isEmbedded && key == "metadata" {
                    result[key] = pruneMetadata(member, path: memberPath, unknown: &unknown)
                } else if let property = schema["properties", key] {
                    result[key] = prune(member, schema: property, path: memberPath, isResource: false, unknown: &unknown)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    result[key] = prune(member, schema: additional, path: memberPath, isResource: false, unknown: &unknown)
                } else if schema["additionalProperties"]?.boolValue == true || preservesUnknown(schema) {
                    result[key] = member
                } else {
                    unknown.append(memberPath)
                }
            }
            return .object(result)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.enumerated().map { i, item in
                prune(item, schema: itemSchema, path: "\(path)[\(i)]", isResource: false, unknown: &unknown)
            })
        default:
            return value
        }
    }

    private static func pruneMetadata(_ metadata: JSONValue, path: String, unknown: inout [String]) -> JSONValue {
        guard let members = metadata.objectValue else { return metadata }
        var result: [String: JSONValue] = [:]
        for (key, value) in members {
            if objectMetaFields.contains(key) { result[key] = value } else { unknown.append(child(path, key)) }
        }
        return .object(result)
    }

    // MARK: Defaulting

    private static func applyDefaults(_ value: JSONValue, schema: JSONValue, isResource: Bool) -> JSONValue {
        switch value {
        case .object(var members):
            if let properties = schema["properties"]?.objectValue {
                for (key, property) in properties {
                    if isResource && (key == "metadata" || key == "apiVersion" || key == "kind") { continue }
                    let current = members[key]
                    let missing = current == nil || (current?.isNull == true && property["nullable"]?.boolValue != true)
                    guard missing else { continue }
                    if let defaultValue = property["default"] {
                        members[key] = defaultValue
                    } else if current != nil {
                        members[key] = nil
                    }
                }
            }
            for (key, member) in members {
                if isResource && (key == "metadata" || key == "apiVersion" || key == "kind") { continue }
                if let property = schema["properties", key] {
                    members[key] = applyDefaults(member, schema: property, isResource: false)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    members[key] = applyDefaults(member, schema: additional, isResource: false)
                }
            }
            return .object(members)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.map { applyDefaults($0, schema: itemSchema, isResource: false) })
        default:
            return value
        }
    }

    // MARK: Validation

    private static func validate(_ value: JSONValue, schema: JSONValue, path: String, isResource: Bool, errors: inout [FieldError]) {
        if value.isNull && schema["nullable"]?.boolValue == true { return }
        guard checkType(value, schema: schema, path: path, errors: &errors) else { return }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(where: { FieldWalker.sameValue($0, value) }) {
            let list = allowed.map { $0.stringValue.map { "\"\($0)\"" } ?? $0.jsonString() }.joined(separator: ", ")
            errors.append((path, "Unsupported value: \(render(value)): supported values: \(list)"))
        }
        switch value {
        case .string(let s): validateString(s, schema: schema, path: path, errors: &errors)
        case .int, .double: validateNumber(value, schema: schema, path: path, errors: &errors)
        case .array(let items): validateArray(items, schema: schema, path: path, errors: &errors)
        case .object(let members): validateObject(members, schema: schema, path: path, isResource: isResource, errors: &errors)
        default: break
        }
    }

    /// Checks `type` / `x-kubernetes-int-or-string`; false (after recording the error) on a mismatch.
    private static func checkType(_ value: JSONValue, schema: JSONValue, path: String, errors: inout [FieldError]) -> Bool {
        let actual = value.intValue != nil && value.doubleValue != nil ? "integer" : value.typeName
        let expected: String
        let ok: Bool
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            expected = "integer,string"
            ok = actual == "integer" || actual == "string"
        } else if let type = schema["type"]?.stringValue {
            expected = type
            switch type {
            case "number": ok = actual == "integer" || actual == "number"
            default: ok = actual == type
            }
        } else {
            return true
        }
        if !ok {
            errors.append((path, "Invalid value: \"\(actual)\": \(path) in body must be of type \(expected): \"\(actual)\""))
        }
        return ok
    }

    private static func validateString(_ s: String, schema: JSONValue, path: String, errors: inout [FieldError]) {
        let length = s.unicodeScalars.count
        if let min = schema["minLength"]?.intValue, length < min {
            errors.append((path, "Invalid value: \(render(.string(s))): \(path) in body should be at least \(min) chars long"))
        }
        if let max = schema["maxLength"]?.intValue, length > max {
            errors.append((path, "Too long: may not be more than \(max) bytes"))
        }
        if let pattern = schema["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern) {
            let range = NSRange(s.startIndex..<s.endIndex, in: s)
            if regex.firstMatch(in: s, range: range) == nil {
                errors.append((path, "Invalid value: \(render(.string(s))): \(path) in body should match '\(pattern)'"))
            }
        }
    }

    private static func validateNumber(_ value: JSONValue, schema: JSONValue, path: String, errors: inout [FieldError]) {
        guard let n = value.doubleValue else { return }
        if let min = schema["minimum"]?.doubleValue {
            let exclusive = schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? n <= min : n < min {
                errors.append((path, "Invalid value: \(render(value)): \(path) in body should be greater than \(exclusive ? "" : "or equal to ")\(format(min))"))
            }
        }
        if let max = schema["maximum"]?.doubleValue {
            let exclusive = schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? n >= max : n > max {
                errors.append((path, "Invalid value: \(render(value)): \(path) in body should be less than \(exclusive ? "" : "or equal to ")\(format(max))"))
            }
        }
        if let factor = schema["multipleOf"]?.doubleValue, factor > 0 {
            let quotient = n / factor
            if quotient.rounded() != quotient {
                errors.append((path, "Invalid value: \(render(value)): \(path) in body should be a multiple of \(format(factor))"))
            }
        }
    }

    private static func validateArray(_ items: [JSONValue], schema: JSONValue, path: String, errors: inout [FieldError]) {
        if let min = schema["minItems"]?.intValue, items.count < min {
            errors.append((path, "Invalid value: \(items.count): \(path) in body should have at least \(min) items"))
        }
        if let max = schema["maxItems"]?.intValue, items.count > max {
            errors.append((path, "Too many: \(items.count): must have at most \(max) items"))
        }
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "set":
            for (i, item) in items.enumerated() where items[..<i].contains(item) {
                errors.append(("\(path)[\(i)]", "Duplicate value: \(render(item))"))
            }
        case "map":
            let keys = schema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var seen: Set<JSONValue> = []
            for (i, item) in items.enumerated() {
                var key: [String: JSONValue] = [:]
                for k in keys { key[k] = item[k] ?? schema["items", "properties", k, "default"] ?? .null }
                if !seen.insert(.object(key)).inserted {
                    errors.append(("\(path)[\(i)]", "Duplicate value: \(JSONValue.object(key).jsonString())"))
                }
            }
        default: break
        }
        if let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() {
                validate(item, schema: itemSchema, path: "\(path)[\(i)]", isResource: false, errors: &errors)
            }
        }
    }

    private static func validateObject(_ members: [String: JSONValue], schema: JSONValue, path: String, isResource: Bool, errors: inout [FieldError]) {
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            errors.append((child(path, name), "Required value"))
        }
        if let min = schema["minProperties"]?.intValue, members.count < min {
            errors.append((path, "Invalid value: \(members.count): \(path) in body should have at least \(min) properties"))
        }
        if let max = schema["maxProperties"]?.intValue, members.count > max {
            errors.append((path, "Too many: \(members.count): must have at most \(max) items"))
        }
        for key in members.keys.sorted() {
            guard let member = members[key] else { continue }
            if isResource && (key == "metadata" || key == "apiVersion" || key == "kind") { continue }
            if let property = schema["properties", key] {
                validate(member, schema: property, path: child(path, key), isResource: false, errors: &errors)
            } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                validate(member, schema: additional, path: child(path, key), isResource: false, errors: &errors)
            }
        }
    }

    /// A value as Go's field errors print it: strings quoted, numbers plain, the rest as JSON.
    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return JSONValue.string(s).jsonString()
        case .double(let d): return format(d)
        default: return value.jsonString()
        }
    }

    private static func format(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}
