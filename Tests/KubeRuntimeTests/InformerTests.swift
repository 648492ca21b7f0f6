import KubeCore
import Testing
@testable import KubeRuntime

@Suite("Informer")
struct InformerTests {
    @Test func listsEveryPageThenWatchesFromTheListVersion() async throws {
        let api = FakeListWatchSource()
        for i in 0..<5 { await api.put(thing("ns", "t\(i)")) }
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions(pageSize: 2))
        #expect(informer.hasSynced == false)
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(informer.hasSynced)
        #expect(informer.store.count == 5)
        #expect(await api.listCalls == 3)
        #expect(await eventually { await api.watchFromVersions == ["105"] })
        await api.put(thing("ns", "t5"))
        #expect(await eventually { informer.store.get("ns/t5") != nil })
        #expect(informer.store.get(namespace: "ns", name: "t5")?.resourceVersion == "106")
        #expect(informer.store.list(namespace: "ns").count == 6)
        #expect(informer.store.list(namespace: "other").isEmpty)
    }

    @Test func resumesFromTheLastVersionAfterADisconnectWithoutRelisting() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        let log = EventLog()
        informer.addEventHandler { await log.append($0) }
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(await eventually { await api.openWatches == 1 })
        await api.put(thing("ns", "b"))
        #expect(await eventually { informer.lastResourceVersion == "102" })
        await api.disconnect()
        await api.put(thing("ns", "c"))            // made during the outage
        await api.put(thing("ns", "a", spec: ["x": 1]))
        #expect(await eventually { informer.store.get("ns/a")?["spec", "x"] == 1 })
        #expect(informer.store.get("ns/c") != nil)
        #expect(await api.listCalls == 1)
        #expect(await api.watchFromVersions.contains("102"))
        #expect(await eventually { await log.names { if case .added = $0 { return true }; return false } == ["a", "b", "c"] })
        #expect(await log.names { if case .updated = $0 { return true }; return false } == ["a"])
    }

    @Test func relistsOn410AndReportsWhatChangedMeanwhile() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "keep"))
        await api.put(thing("ns", "gone"))
        await api.put(thing("ns", "edited"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        let log = EventLog()
        informer.addEventHandler { await log.append($0) }
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(await eventually { await api.openWatches == 1 })
        await api.failNextWatches(1000)            // stay disconnected while the world changes
        await api.disconnect()
        await api.delete("ns/gone")
        await api.put(thing("ns", "edited", spec: ["v": 2]))
        await api.put(thing("ns", "new"))
        await api.expire()                          // the history of the outage is compacted away
        await api.failNextWatches(0)
        #expect(await eventually { await api.listCalls == 2 })
        #expect(await eventually { informer.store.keys == ["ns/edited", "ns/keep", "ns/new"] })
        #expect(informer.store.get("ns/edited")?["spec", "v"] == 2)
        #expect(await eventually { await log.names { if case .deleted = $0 { return true }; return false } == ["gone"] })
        #expect(await log.names { if case .updated = $0 { return true }; return false } == ["edited"])
        #expect(await log.names { if case .added = $0 { return true }; return false } == ["edited", "gone", "keep", "new"])
    }

    @Test func aWatchEndingWith410RelistsAtOnce() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(await eventually { await api.openWatches == 1 })
        await api.expire()
        #expect(await eventually { await api.listCalls == 2 })
        #expect(await eventually { await api.openWatches == 1 })
        await api.put(thing("ns", "after"))
        #expect(await eventually { informer.store.get("ns/after") != nil })
    }

    @Test func bookmarksAdvanceTheResumeVersion() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(await eventually { await api.openWatches == 1 })
        await api.bookmark()
        let bookmarked = await api.currentVersion
        #expect(await eventually { informer.lastResourceVersion == bookmarked })
        await api.disconnect()
        #expect(await eventually { await api.watchFromVersions.last == bookmarked })
        #expect(await api.listCalls == 1)
    }

    @Test func failedWatchesBackOffAndRecover() async throws {
        let api = FakeListWatchSource()
        await api.failNextWatches(4)
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(await eventually { await api.openWatches == 1 })
        #expect(await api.watchFromVersions.count == 5)
        await api.put(thing("ns", "x"))
        #expect(await eventually { informer.store.count == 1 })
    }

    @Test func periodicResyncRedeliversEveryObject() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a"))
        await api.put(thing("ns", "b"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions(resync: .milliseconds(20)))
        let log = EventLog()
        informer.addEventHandler { await log.append($0) }
        informer.start()
        defer { informer.stop() }
        #expect(await eventually {
            let names = await log.names { if case .resync = $0 { return true }; return false }
            return names.filter { $0 == "a" }.count >= 2 && names.contains("b")
        })
        #expect(await api.listCalls == 1)   // a resync replays the cache; it does not list
    }

    @Test func aLateHandlerFirstReceivesTheCacheAndCanBeRemoved() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a"))
        await api.put(thing("ns", "b"))
        let informer = Informer(resource: thingResource, source: api, options: fastInformerOptions())
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        let log = EventLog()
        let id = informer.addEventHandler { await log.append($0) }
        #expect(await eventually { await log.events.count == 2 })
        #expect(await log.names { _ in true } == ["a", "b"])
        informer.removeEventHandler(id)
        await api.put(thing("ns", "c"))
        #expect(await eventually { informer.store.count == 3 })
        #expect(await log.events.count == 2)
    }

    @Test func projectionsKeepMetadataChosenFieldsAndAContentHash() throws {
        var deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": "grafana", "namespace": "ops", "resourceVersion": "7",
                "managedFields": [["manager": "incident-operator"]],
                "annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{...}"],
                "ownerReferences": [["kind": "IncidentPlatform", "name": "prod", "controller": true]],
            ],
            "spec": ["replicas": 2, "template": ["spec": ["containers": [["name": "grafana", "image": "grafana:11"]]]]],
            "status": ["readyReplicas": 2, "observedGeneration": 3, "conditions": [["type": "Available"]]],
        ]
        let p = ObjectProjection.summary(keeping: [["spec", "replicas"], ["status", "readyReplicas"]], hashing: [["spec"]])
        let s = p(deployment)
        #expect(s["metadata", "managedFields"] == nil)
        #expect(s["metadata", "annotations"] == nil)
        #expect(s["metadata", "ownerReferences"]?.arrayValue?.count == 1)
        #expect(s["spec"] == ["replicas": 2])
        #expect(s["status"] == ["readyReplicas": 2])
        let hash = try #require(s[ObjectProjection.contentHashKey]?.stringValue)
        #expect(hash.count == 16)
        #expect(hash == ObjectProjection.contentHash(of: deployment, paths: [["spec"]]))
        deployment["spec", "template", "spec", "containers"] = [["name": "grafana", "image": "grafana:12"]]
        #expect(p(deployment)[ObjectProjection.contentHashKey]?.stringValue != hash)
        #expect(ObjectProjection.withoutManagedFields(deployment)["metadata", "managedFields"] == nil)
        #expect(ObjectProjection.withoutManagedFields(deployment)["status", "conditions"] != nil)
    }

    @Test func theStoreHoldsProjectedObjects() async throws {
        let api = FakeListWatchSource()
        await api.put(thing("ns", "a", spec: ["big": "payload"]))
        let informer = Informer(resource: thingResource, source: api, projection: .summary(keeping: [], hashing: [["spec"]]))
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        let cached = try #require(informer.store.get("ns/a"))
        #expect(cached["spec"] == nil)
        #expect(cached[ObjectProjection.contentHashKey] != nil)
        #expect(cached.name == "a")
    }
}
