import Testing
@testable import KubeCore

@Suite struct CoreTypesTests {
    @Test func statusRoundTripsThroughJSON() throws {
        let s = APIStatus.notFound(resource: "deployments", name: "web", group: "apps")
        #expect(s.message == #"deployments.apps "web" not found"#)
        let decoded = try #require(APIStatus(json: try JSONValue(json: s.json.jsonString())))
        #expect(decoded == s)
        #expect(decoded.reason == .notFound)
    }

    @Test func statusFromNonStatusIsNil() {
        #expect(APIStatus(json: ["kind": "ConfigMap", "code": 1]) == nil)
    }

    @Test func invalidStatusListsEveryCause() {
        let s = APIStatus.invalid(kind: "IncidentPlatform", name: "p", group: "incidentops.io",
                                  causes: [("spec.a", "bad"), ("spec.b", "worse")])
        #expect(s.code == 422)
        #expect(s.message == #"IncidentPlatform "p" is invalid: spec.a: bad, spec.b: worse"#)
        #expect(s.details?["causes"]?.arrayValue?.count == 2)
    }

    @Test func resourcePaths() {
        #expect(ResourceDescriptor.deployments.path(namespace: "ops", name: "web") == "/apis/apps/v1/namespaces/ops/deployments/web")
        #expect(ResourceDescriptor.configMaps.path(namespace: "ops") == "/api/v1/namespaces/ops/configmaps")
        #expect(ResourceDescriptor.clusterRoles.path(namespace: "ignored", name: "r") == "/apis/rbac.authorization.k8s.io/v1/clusterroles/r")
        #expect(ResourceDescriptor.incidentPlatforms.path(namespace: "a", name: "b", subresource: "status") == "/apis/incidentops.io/v1alpha1/namespaces/a/incidentplatforms/b/status")
        #expect(ResourceDescriptor.deployments.qualifiedName == "deployments.apps")
    }

    @Test func objectMetaShorthands() {
        let o: JSONValue = ["metadata": ["name": "x", "namespace": "ns", "labels": ["a": "b", "n": 1], "finalizers": ["f"]]]
        #expect(o.objectKey == "ns/x")
        #expect(o.labels == ["a": "b"])
        #expect(o.finalizers == ["f"])
        let cluster: JSONValue = ["metadata": ["name": "c"]]
        #expect(cluster.objectKey == "c")
    }
}
