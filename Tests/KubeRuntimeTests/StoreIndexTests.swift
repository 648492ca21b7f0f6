import KubeCore
import Testing
@testable import KubeRuntime

/// The informer store's secondary index: what the operator uses so that a reconcile reads only its own children.
@Suite("Store index")
struct StoreIndexTests {
    static func child(_ name: String, owner: String?, namespace: String = "ns") -> JSONValue {
        var o: JSONValue = ["metadata": ["name": .string(name), "namespace": .string(namespace)]]
        if let owner { o["metadata", "labels", "owner"] = .string(owner) }
        return o
    }

    static func byOwner() -> Store { Store(index: { $0.labels["owner"] }) }

    static func names(_ objects: [JSONValue]) -> [String] { objects.compactMap(\.name) }

    @Test func upsertIndexesAndMovesBetweenValues() {
        let store = Self.byOwner()
        store.upsert(Self.child("a", owner: "p1"))
        store.upsert(Self.child("b", owner: "p1"))
        store.upsert(Self.child("c", owner: "p2"))
        #expect(Self.names(store.list(indexedAs: "p1")) == ["a", "b"])
        // The index value changes: the object leaves its old bucket.
        store.upsert(Self.child("b", owner: "p2"))
        #expect(Self.names(store.list(indexedAs: "p1")) == ["a"])
        #expect(Self.names(store.list(indexedAs: "p2")) == ["b", "c"])
        // An object that loses its index value is in no bucket, but still in the store.
        store.upsert(Self.child("a", owner: nil))
        #expect(store.list(indexedAs: "p1").isEmpty)
        #expect(store.get(namespace: "ns", name: "a") != nil)
    }

    @Test func removeAndReplaceKeepTheIndexExact() {
        let store = Self.byOwner()
        store.upsert(Self.child("a", owner: "p1"))
        store.upsert(Self.child("b", owner: "p1"))
        store.remove("ns/a")
        #expect(Self.names(store.list(indexedAs: "p1")) == ["b"])
        _ = store.replace(with: ["ns/x": store.entry(for: Self.child("x", owner: "p3")),
                                 "ns/y": store.entry(for: Self.child("y", owner: "p1"))])
        #expect(Self.names(store.list(indexedAs: "p1")) == ["y"], "replace rebuilds the index: b is gone")
        #expect(Self.names(store.list(indexedAs: "p3")) == ["x"])
    }

    @Test func aStoreWithoutIndexListsNothingByIndex() {
        let store = Store()
        store.upsert(Self.child("a", owner: "p1"))
        #expect(!store.isIndexed)
        #expect(store.list(indexedAs: "p1").isEmpty)
        #expect(store.count == 1)
    }
}
