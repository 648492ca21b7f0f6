import KubeCore
import Testing
@testable import KubeRuntime

/// The informer store keeps objects encoded: what goes in comes out equal, and it reports changes exactly.
@Suite("Store")
struct StoreTests {
    static func deployment(_ name: String, replicas: Int = 1, ready: Int = 0) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": .string(name), "namespace": "ops", "uid": "0f6d9b1e-6c1a-4a53-9b1e-6c1a4a539b1e",
                "labels": ["app.kubernetes.io/instance": "prod", "note": "ünïcode \"quoted\" \\ \n tab\t"],
                "ownerReferences": [["kind": "IncidentPlatform", "name": "prod", "controller": true]],
            ],
            "spec": ["replicas": .int(replicas), "ratio": 0.5, "whole": 2.0, "big": .int(Int.max), "none": .null],
            "status": ["readyReplicas": .int(ready), "conditions": []],
        ]
    }

    @Test func objectsComeBackEqualToWhatWasStored() {
        let store = Store()
        let object = Self.deployment("web")
        store.upsert(object)
        #expect(store.get("ops/web") == object)
        #expect(store.get(namespace: "ops", name: "web") == object)
        #expect(store.list() == [object])
        #expect(store.list(namespace: "ops") == [object])
        #expect(store.list(namespace: "other").isEmpty)
    }

    @Test func theEncodingIsCanonicalAndExactlySized() {
        // The same content built in another key order encodes to the same bytes.
        var reordered: JSONValue = ["status": ["conditions": [], "readyReplicas": 0]]
        reordered["spec"] = Self.deployment("web")["spec"]
        reordered["metadata"] = Self.deployment("web")["metadata"]
        reordered["kind"] = "Deployment"
        reordered["apiVersion"] = "apps/v1"
        #expect(EncodedObject(reordered) == EncodedObject(Self.deployment("web")))
        #expect(EncodedObject(Self.deployment("web")).byteCount == Self.deployment("web").jsonBytes().count)
        #expect(EncodedObject(Self.deployment("web", ready: 1)) != EncodedObject(Self.deployment("web")))
    }

    @Test func upsertTellsAddedUnchangedAndUpdated() {
        let store = Store()
        #expect(store.upsert(Self.deployment("web"))?.decoded == .added(Self.deployment("web")))
        #expect(store.upsert(Self.deployment("web")) == nil, "an equal object is no change")
        #expect(store.upsert(Self.deployment("web", ready: 1))?.decoded
            == .updated(old: Self.deployment("web"), new: Self.deployment("web", ready: 1)))
        #expect(store.get("ops/web") == Self.deployment("web", ready: 1))
        #expect(store.remove("ops/web")?.value == Self.deployment("web", ready: 1))
        #expect(store.remove("ops/web") == nil)
        #expect(store.count == 0)
    }

    @Test func encodedObjectsAreTheCacheInKeyOrder() {
        // What a relist, a resync or a late handler queues: the store's own encodings, in key order.
        let store = Store()
        store.upsert(Self.deployment("a"))
        store.upsert(Self.deployment("b"))
        #expect(store.encodedObjects == [EncodedObject(Self.deployment("a")), EncodedObject(Self.deployment("b"))])
        #expect(store.encodedObjects.map(\.value) == store.list())
    }

    @Test func replaceReportsTheDifferenceInKeyOrder() {
        let store = Store()
        store.upsert(Self.deployment("a"))
        store.upsert(Self.deployment("b"))
        store.upsert(Self.deployment("c"))
        let fresh = [Self.deployment("b", ready: 1), Self.deployment("c"), Self.deployment("d")]
        let changes = store.replace(with: Dictionary(uniqueKeysWithValues: fresh.map { ($0.objectKey, store.entry(for: $0)) }))
        #expect(changes.map(\.decoded) == [
            .updated(old: Self.deployment("b"), new: Self.deployment("b", ready: 1)),
            .added(Self.deployment("d")),
            .deleted(Self.deployment("a")),
        ])
        #expect(store.keys == ["ops/b", "ops/c", "ops/d"])
    }
}
