import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsFieldSetTests {
    @Test func fieldsV1RoundTrips() throws {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}},"f:finalizers":{"v:\"x\"":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}"#
        let json = try JSONValue(json: text)
        let set = FieldSet(fieldsV1: json)
        #expect(set.fieldsV1 == json)
        #expect(set.paths.contains([.field("metadata"), .field("labels")]))
        #expect(!set.paths.contains([.field("spec")]))
        #expect(set.paths.contains([.field("metadata"), .field("finalizers"), .value("x")]))
        let port: FieldPath = [.field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "nginx"]),
                               .field("ports"), .key(["containerPort": 80, "protocol": "TCP"])]
        #expect(set.paths.contains(port))
        #expect(port.display == #".spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]"#)
    }

    @Test func unknownKeysAreSkipped() {
        let set = FieldSet(fieldsV1: ["f:a": [:], "zz": [:], "k:notjson": [:]])
        #expect(set.paths == [[.field("a")]])
    }
}
