import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsFieldSelectorTests {
    let pod: JSONValue = [
        "kind": "Pod", "metadata": ["name": "web-1", "namespace": "ops"],
        "spec": ["nodeName": "node-1"], "status": ["phase": "Running"],
    ]

    @Test func metadataFields() throws {
        #expect(try FieldSelector(parsing: "metadata.name=web-1").matches(pod))
        #expect(try FieldSelector(parsing: "metadata.name==web-1,metadata.namespace=ops").matches(pod))
        #expect(!(try FieldSelector(parsing: "metadata.namespace!=ops").matches(pod)))
        #expect(try FieldSelector(parsing: "metadata.name!=other").matches(pod))
        #expect(try FieldSelector(parsing: "").matches(pod))
    }

    @Test func podFields() throws {
        #expect(try FieldSelector(parsing: "spec.nodeName=node-1,status.phase!=Pending", kind: "Pod").matches(pod))
        #expect(!(try FieldSelector(parsing: "status.phase=Succeeded", kind: "Pod").matches(pod)))
        #expect(try FieldSelector(parsing: "spec.hostNetwork=false", kind: "Pod").matches(pod))
    }

    @Test func eventFieldsUsedByKubectlDescribe() throws {
        let event: JSONValue = ["involvedObject": ["name": "web", "kind": "Deployment", "uid": "u1"], "type": "Normal"]
        let s = try FieldSelector(parsing: "involvedObject.name=web,involvedObject.kind=Deployment,involvedObject.uid=u1", kind: "Event")
        #expect(s.matches(event))
        #expect(!(try FieldSelector(parsing: "type=Warning", kind: "Event").matches(event)))
    }

    @Test func missingFieldComparesAsEmpty() throws {
        #expect(try FieldSelector(parsing: "spec.nodeName=", kind: "Pod").matches(["metadata": ["name": "x"]]))
    }

    @Test func unsupportedFieldIsBadRequest() {
        #expect(throws: APIStatus(code: 400, reason: .badRequest, message: "field label not supported: spec.foo")) {
            try FieldSelector(parsing: "metadata.name=a,spec.foo=b", kind: "ConfigMap")
        }
        #expect(throws: APIStatus.self) { try FieldSelector(parsing: "status.phase=Running", kind: "ConfigMap") }
        #expect(throws: APIStatus.self) { try FieldSelector(parsing: "metadata.name") }
    }

    @Test func escapedValues() throws {
        let s = try FieldSelector(parsing: #"metadata.name=a\,b"#)
        #expect(s.matches(["metadata": ["name": "a,b"]]))
        #expect(s.requirements.count == 1)
    }
}

@Suite struct SemanticsLabelSelectorStatusTests {
    @Test func parseErrorBecomesBadRequest() throws {
        let error = try #require(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a in x") }
        #expect(error.status.code == 400)
        #expect(error.status.reason == .badRequest)
        #expect(error.status.message == error.message)
    }
}
