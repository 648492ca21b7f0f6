import KubeCore
import PlatformController
import Testing

@Suite("Finalizer patches are guarded")
struct FinalizerPatchTests {
    @Test func addingToAnObjectWithoutFinalizersTestsTheResourceVersion() throws {
        let object: JSONValue = ["metadata": ["name": "demo", "resourceVersion": "7"]]
        let patch = try #require(FinalizerPatch.adding(to: object))
        #expect(patch[0] == ["op": "test", "path": "/metadata/resourceVersion", "value": "7"])
        #expect(patch[1] == ["op": "add", "path": "/metadata/finalizers", "value": ["incidentops.io/cleanup"]])
    }

    @Test func addingNextToAnotherFinalizerTestsTheListAndAppends() throws {
        let object: JSONValue = ["metadata": ["name": "demo", "finalizers": ["other.io/keep"]]]
        let patch = try #require(FinalizerPatch.adding(to: object))
        #expect(patch[0] == ["op": "test", "path": "/metadata/finalizers", "value": ["other.io/keep"]])
        #expect(patch[1]["path"] == "/metadata/finalizers/-")
    }

    @Test func nothingToAddOrRemove() {
        #expect(FinalizerPatch.adding(to: ["metadata": ["finalizers": ["incidentops.io/cleanup"]]]) == nil)
        #expect(FinalizerPatch.removing(from: ["metadata": ["finalizers": ["other.io/keep"]]]) == nil)
    }

    @Test func removingKeepsOthersAndTestsTheList() throws {
        let object: JSONValue = ["metadata": ["finalizers": ["a.io/x", "incidentops.io/cleanup", "b.io/y"]]]
        let patch = try #require(FinalizerPatch.removing(from: object))
        #expect(patch[0] == ["op": "test", "path": "/metadata/finalizers", "value": ["a.io/x", "incidentops.io/cleanup", "b.io/y"]])
        #expect(patch[1] == ["op": "replace", "path": "/metadata/finalizers", "value": ["a.io/x", "b.io/y"]])
    }
}
