import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsStructuralSchemaTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": [
            "spec": [
                "type": "object",
                "required": ["name"],
                "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": 10, "pattern": "^[a-z]+$"],
                    "replicas": ["type": "integer", "default": 1, "minimum": 1, "maximum": 10],
                    "ratio": ["type": "number", "exclusiveMinimum": true, "minimum": 0],
                    "mode": ["type": "string", "enum": ["fast", "safe"], "default": "safe"],
                    "enabled": ["type": "boolean"],
                    "port": ["x-kubernetes-int-or-string": true],
                    "note": ["type": "string", "nullable": true],
                    "tags": ["type": "array", "items": ["type": "string"], "maxItems": 2, "x-kubernetes-list-type": "set"],
                    "routes": ["type": "array", "minItems": 1,
                               "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                               "items": ["type": "object", "required": ["name"], "properties": [
                                   "name": ["type": "string"], "weight": ["type": "integer", "default": 100],
                               ]]],
                    "limits": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "alerting": ["type": "object", "default": [:], "properties": [
                        "receiver": ["type": "string", "default": "pager"],
                        "repeat": ["type": "object", "properties": ["every": ["type": "string", "default": "1h"]]],
                    ]],
                    "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                ],
            ],
            "status": ["type": "object", "properties": ["phase": ["type": "string"]]],
        ],
    ]

    func object(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
         "metadata": ["name": "p", "labels": ["a": "b"], "bogus": 1], "spec": spec]
    }

    @Test func validObjectIsDefaultedNestedAndPruned() {
        let (result, errors) = StructuralSchema.validateAndDefault(
            object(["name": "web", "routes": [["name": "r"]], "unknown": 1, "extra": ["free": ["x": 1]], "note": nil]), schema: schema)
        #expect(errors.isEmpty)
        #expect(result["spec", "replicas"] == 1)
        #expect(result["spec", "mode"] == "safe")
        #expect(result["spec", "routes"] == [["name": "r", "weight": 100]])
        #expect(result["spec", "alerting"] == ["receiver": "pager"], "a defaulted object gets its own defaults; absent children stay absent")
        #expect(result["spec", "unknown"] == nil)
        #expect(result["spec", "extra"] == ["free": ["x": 1]])
        #expect(result["spec", "note"] == .null, "nullable keeps null")
        #expect(result["metadata"] == ["name": "p", "labels": ["a": "b"]], "metadata keeps ObjectMeta fields only")
        #expect(result["apiVersion"] == "incidentops.io/v1alpha1")
        #expect(StructuralSchema.unknownFields(object(["name": "web", "unknown": 1, "routes": [["name": "r", "x": 2]]]), schema: schema)
                == ["metadata.bogus", "spec.routes[0].x", "spec.unknown"])
    }

    @Test func nestedDefaultsApplyInsideExistingObjects() {
        let (result, _) = StructuralSchema.validateAndDefault(object(["name": "a", "routes": [["name": "r"]], "alerting": ["repeat": [:]]]), schema: schema)
        #expect(result["spec", "alerting"] == ["receiver": "pager", "repeat": ["every": "1h"]])
    }

    @Test func nullInNonNullableFieldIsDefaultedOrDropped() {
        let (result, errors) = StructuralSchema.validateAndDefault(object(["name": "a", "routes": [["name": "r"]], "replicas": nil, "enabled": nil]), schema: schema)
        #expect(errors.isEmpty)
        #expect(result["spec", "replicas"] == 1)
        #expect(result["spec"]?.objectValue?.keys.contains("enabled") == false)
    }

    @Test func typeErrorsAreWordedLikeTheServer() {
        let (_, errors) = StructuralSchema.validateAndDefault(object(["name": "a", "routes": [["name": "r"]], "replicas": "string"]), schema: schema)
        #expect(errors.count == 1)
        #expect(errors.first?.field == "spec.replicas")
        #expect(errors.first?.message == #"Invalid value: "string": spec.replicas in body must be of type integer: "string""#)
        let status = APIStatus.invalid(kind: "IncidentPlatform", name: "p", group: "incidentops.io", causes: errors)
        #expect(status.message == #"IncidentPlatform "p" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#)
    }

    @Test func everyKindOfCheck() {
        let spec: JSONValue = [
            "name": "ABCDEFGHIJKL", "replicas": 0, "ratio": 0, "mode": "slow", "enabled": "yes", "port": true,
            "tags": ["a", "a", "b"], "routes": [["name": "x"], ["name": "x"], ["weight": 1]],
            "limits": ["cpu": "lots"], "alerting": "none",
        ]
        let (_, errors) = StructuralSchema.validateAndDefault(object(spec), schema: schema)
        let messages = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(messages["spec.name"] == #"Too long: may not be more than 10 bytes | Invalid value: "ABCDEFGHIJKL": spec.name in body should match '^[a-z]+$'"#)
        #expect(messages["spec.replicas"] == "Invalid value: 0: spec.replicas in body should be greater than or equal to 1")
        #expect(messages["spec.ratio"] == "Invalid value: 0: spec.ratio in body should be greater than 0")
        #expect(messages["spec.mode"] == #"Unsupported value: "slow": supported values: "fast", "safe""#)
        #expect(messages["spec.enabled"] == #"Invalid value: "string": spec.enabled in body must be of type boolean: "string""#)
        #expect(messages["spec.port"] == #"Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#)
        #expect(messages["spec.tags"] == "Too many: 3: must have at most 2 items")
        #expect(messages["spec.tags[1]"] == #"Duplicate value: "a""#)
        #expect(messages["spec.routes[1]"] == #"Duplicate value: {"name":"x"}"#)
        #expect(messages["spec.routes[2].name"] == "Required value")
        #expect(messages["spec.limits.cpu"] == #"Invalid value: "string": spec.limits.cpu in body must be of type integer: "string""#)
        #expect(messages["spec.alerting"] == #"Invalid value: "string": spec.alerting in body must be of type object: "string""#)
    }

    @Test func requiredAndLengthAndItemCounts() {
        let (_, errors) = StructuralSchema.validateAndDefault(object(["routes": [], "ratio": 0.5, "replicas": 11, "port": "http"]), schema: schema)
        let messages = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(messages["spec.name"] == "Required value")
        #expect(messages["spec.routes"] == "Invalid value: 0: spec.routes in body should have at least 1 items")
        #expect(messages["spec.replicas"] == "Invalid value: 11: spec.replicas in body should be less than or equal to 10")
        #expect(messages["spec.ratio"] == nil)
        #expect(messages["spec.port"] == nil)
        let (_, short) = StructuralSchema.validateAndDefault(object(["name": "", "routes": [["name": "r"]]]), schema: schema)
        #expect(short.contains { $0.field == "spec.name" && $0.message == #"Invalid value: "": spec.name in body should be at least 1 chars long"# })
    }

    @Test func integralDoublesAreIntegers() {
        let (_, errors) = StructuralSchema.validateAndDefault(object(["name": "a", "routes": [["name": "r"]], "replicas": 2.0]), schema: schema)
        #expect(errors.isEmpty)
        let (_, fractional) = StructuralSchema.validateAndDefault(object(["name": "a", "routes": [["name": "r"]], "replicas": 2.5]), schema: schema)
        #expect(fractional.first?.message == #"Invalid value: "number": spec.replicas in body must be of type integer: "number""#)
    }

    @Test func rootRequiredAndEmbeddedResources() {
        let embedded: JSONValue = ["type": "object", "required": ["spec"], "properties": ["spec": ["type": "object", "properties": [
            "template": ["type": "object", "x-kubernetes-embedded-resource": true, "properties": ["data": ["type": "object", "additionalProperties": ["type": "string"]]]],
        ]]]]
        let (_, missing) = StructuralSchema.validateAndDefault(["apiVersion": "x/v1", "kind": "K", "metadata": ["name": "n"]], schema: embedded)
        #expect(missing.map(\.field) == ["spec"])
        let (result, errors) = StructuralSchema.validateAndDefault(
            ["apiVersion": "x/v1", "kind": "K", "metadata": ["name": "n"],
             "spec": ["template": ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"], "junk": 1]]], schema: embedded)
        #expect(errors.isEmpty)
        #expect(result["spec", "template"] == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"]])
    }
}
