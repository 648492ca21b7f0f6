import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsStrategicMergePatchTests {
    let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "labels": ["app": "web"], "finalizers": ["a"]],
        "spec": [
            "replicas": 1,
            "selector": ["matchLabels": ["app": "web"]],
            "template": ["spec": [
                "containers": [
                    ["name": "app", "image": "app:1",
                     "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                     "ports": [["containerPort": 80]],
                     "volumeMounts": [["mountPath": "/data", "name": "data"]],
                     "args": ["--x"]],
                    ["name": "sidecar", "image": "side:1"],
                ],
                "volumes": [["name": "data", "emptyDir": [:]]],
            ]],
        ],
    ]

    func containers(_ d: JSONValue) -> [JSONValue] { d["spec", "template", "spec", "containers"]?.arrayValue ?? [] }

    @Test func containersMergeByName() throws {
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "app", "image": "app:2"]]]]]]
        let r = try StrategicMergePatch.apply(patch, to: deployment)
        let c = containers(r)
        #expect(c.count == 2)
        #expect(c[0]["image"] == "app:2")
        #expect(c[0]["env"]?.arrayValue?.count == 2, "other fields of the item are kept")
        #expect(c[1]["name"] == "sidecar")
    }

    @Test func newItemsAreAppendedAndNestedListsMergeByTheirKeys() throws {
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [
            ["name": "app", "env": [["name": "B", "value": "3"], ["name": "C", "value": "4"]],
             "ports": [["containerPort": 443]], "volumeMounts": [["mountPath": "/data", "readOnly": true]],
             "args": ["--y"]],
            ["name": "new", "image": "n:1"],
        ]]]]]
        let r = try StrategicMergePatch.apply(patch, to: deployment)
        let c = containers(r)
        #expect(c.map { $0["name"] } == ["app", "sidecar", "new"])
        #expect(c[0]["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "3"], ["name": "C", "value": "4"]])
        #expect(c[0]["ports"] == [["containerPort": 80], ["containerPort": 443]])
        #expect(c[0]["volumeMounts"] == [["mountPath": "/data", "name": "data", "readOnly": true]])
        #expect(c[0]["args"] == ["--y"], "lists without a merge key are replaced")
    }

    @Test func deleteDirectiveRemovesAnItem() throws {
        let patch: JSONValue = ["spec": ["template": ["spec": [
            "containers": [["name": "sidecar", "$patch": "delete"]],
            "volumes": [["name": "data", "$patch": "delete"]],
        ]]]]
        let r = try StrategicMergePatch.apply(patch, to: deployment)
        #expect(containers(r).map { $0["name"] } == ["app"])
        #expect(r["spec", "template", "spec", "volumes"] == [])
    }

    @Test func replaceDirectiveOnListAndMap() throws {
        let listPatch: JSONValue = ["spec": ["template": ["spec": ["containers": [
            ["$patch": "replace"], ["name": "only", "image": "o:1"],
        ]]]]]
        let r = try StrategicMergePatch.apply(listPatch, to: deployment)
        #expect(containers(r) == [["name": "only", "image": "o:1"]])
        let mapPatch: JSONValue = ["metadata": ["labels": ["$patch": "replace", "new": "x"]]]
        #expect(try StrategicMergePatch.apply(mapPatch, to: deployment)["metadata", "labels"] == ["new": "x"])
        let deleteMap: JSONValue = ["spec": ["selector": ["$patch": "delete"]]]
        #expect(try StrategicMergePatch.apply(deleteMap, to: deployment)["spec", "selector"] == nil)
    }

    @Test func nullDeletesAndMapsMerge() throws {
        let patch: JSONValue = ["metadata": ["labels": ["app": nil, "tier": "web"], "annotations": ["a": "b", "gone": nil]], "spec": ["replicas": nil]]
        let r = try StrategicMergePatch.apply(patch, to: deployment)
        #expect(r["metadata", "labels"] == ["tier": "web"])
        #expect(r["metadata", "annotations"] == ["a": "b"], "nulls inside new maps are dropped")
        #expect(r["spec", "replicas"] == nil)
    }

    @Test func labelSelectorIsReplacedAsAWhole() throws {
        let patch: JSONValue = ["spec": ["selector": ["matchLabels": ["tier": "x"]]]]
        #expect(try StrategicMergePatch.apply(patch, to: deployment)["spec", "selector"] == ["matchLabels": ["tier": "x"]])
    }

    @Test func primitiveListDirectives() throws {
        let patch: JSONValue = ["metadata": ["finalizers": ["b", "c"], "$deleteFromPrimitiveList/finalizers": ["a"]]]
        #expect(try StrategicMergePatch.apply(patch, to: deployment)["metadata", "finalizers"] == ["b", "c"])
    }

    @Test func setElementOrderOrdersTheList() throws {
        let patch: JSONValue = ["spec": ["template": ["spec": [
            "$setElementOrder/containers": [["name": "sidecar"], ["name": "app"]],
            "containers": [["name": "app", "image": "app:3"]],
        ]]]]
        let r = try StrategicMergePatch.apply(patch, to: deployment)
        #expect(containers(r).map { $0["name"] } == ["sidecar", "app"])
        #expect(containers(r)[1]["image"] == "app:3")
    }

    @Test func servicePortsMergeByPort() throws {
        let svc: JSONValue = ["kind": "Service", "spec": ["ports": [["port": 80, "name": "http"], ["port": 443, "name": "https"]]]]
        let r = try StrategicMergePatch.apply(["spec": ["ports": [["port": 80, "targetPort": 8080]]]], to: svc)
        #expect(r["spec", "ports"] == [["port": 80, "name": "http", "targetPort": 8080], ["port": 443, "name": "https"]])
    }

    @Test func podSpecListsOfAPod() throws {
        let pod: JSONValue = ["kind": "Pod", "spec": ["containers": [["name": "a", "image": "1"], ["name": "b", "image": "1"]]]]
        let r = try StrategicMergePatch.apply(["spec": ["containers": [["name": "b", "image": "2"]]]], to: pod)
        #expect(r["spec", "containers"] == [["name": "a", "image": "1"], ["name": "b", "image": "2"]])
    }

    @Test func conditionsMergeByType() throws {
        let d: JSONValue = ["kind": "Deployment", "status": ["conditions": [["type": "Available", "status": "False"], ["type": "Progressing", "status": "True"]]]]
        let r = try StrategicMergePatch.apply(["status": ["conditions": [["type": "Available", "status": "True"]]]], to: d)
        #expect(r["status", "conditions"] == [["type": "Available", "status": "True"], ["type": "Progressing", "status": "True"]])
    }

    @Test func retainKeysDropsOtherFields() throws {
        let d: JSONValue = ["kind": "Deployment", "spec": ["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1]]]]
        let patch: JSONValue = ["spec": ["strategy": ["$retainKeys": ["type"], "type": "Recreate"]]]
        #expect(try StrategicMergePatch.apply(patch, to: d)["spec", "strategy"] == ["type": "Recreate"])
    }

    @Test func customResourceListsUseTheSchema() throws {
        let schema: JSONValue = ["type": "object", "properties": ["spec": ["type": "object", "properties": [
            "items": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"],
                      "items": ["type": "object"]],
            "tags": ["type": "array", "items": ["type": "string"]],
        ]]]]
        let cr: JSONValue = ["kind": "Thing", "spec": ["items": [["id": "a", "v": 1]], "tags": ["x"]]]
        let r = try StrategicMergePatch.apply(["spec": ["items": [["id": "b", "v": 2]], "tags": ["y"]]], to: cr, schema: schema)
        #expect(r["spec", "items"] == [["id": "a", "v": 1], ["id": "b", "v": 2]])
        #expect(r["spec", "tags"] == ["y"])
    }

    @Test func malformedPatchesAreBadRequests() throws {
        let missingKey: JSONValue = ["spec": ["template": ["spec": ["containers": [["image": "x"]]]]]]
        let e1 = try #require(throws: APIStatus.self) { try StrategicMergePatch.apply(missingKey, to: deployment) }
        #expect(e1.code == 400)
        #expect(e1.message.contains("does not contain declared merge key: name"))
        let e2 = try #require(throws: APIStatus.self) { try StrategicMergePatch.apply(["metadata": ["$patch": "frob"]], to: deployment) }
        #expect(e2.code == 400)
        #expect(throws: APIStatus.self) { try StrategicMergePatch.apply([1], to: deployment) }
    }
}
