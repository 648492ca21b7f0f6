import Foundation
import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime
import KubeSandbox
import PlatformController
import Testing
import Logging

/// The reconciler against the in-process sandbox: convergence, spec changes, hand edits, steady state,
/// deletion, generated secrets, invalid specs and watch faults.
@Suite("Reconciler on the sandbox", .serialized, .timeLimit(.minutes(2)))
struct ReconcilerIntegrationTests {
    /// Every desired child of the example as the operator would create it (uid from the live platform).
    func desiredChildren(_ h: OperatorHarness) async throws -> [JSONValue] {
        let live = try await h.platform()
        guard case .success(let platform) = PlatformSpecLoader.load(live) else { throw HarnessTimeout(what: "valid platform") }
        return PlatformGenerator.desiredObjects(for: platform, secrets: .omit)
    }

    func pvc(_ h: OperatorHarness) async throws -> JSONValue? {
        try await h.client.list(.persistentVolumeClaims, namespace: h.namespace,
                                options: ListOptions(labelSelector: "app.kubernetes.io/instance=\(h.name),app.kubernetes.io/name=postgres")).items.first
    }

    @Test func theExampleConvergesWithOwnerReferencesAndEvents() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform()
        try await h.waitReady()
        let platform = try await h.platform()
        let uid = try #require(platform.uid)
        #expect(platform.finalizers.contains(PlatformContext.finalizerName))
        let status = try await h.status()
        #expect(status.components.count == 11)
        #expect(status.components.values.allSatisfy { $0.isReady })
        #expect(status.conditions.condition(ofType: "SpecValid")?.status == .true)
        for child in try await desiredChildren(h) {
            let resource = try #require(OperatorPermissions.descriptor(forKind: child.kind ?? ""))
            let live = try await h.client.get(resource, name: child.name ?? "", namespace: child.namespace)
            #expect(live["metadata", "annotations", ChildProjection.specHashAnnotation] != nil, "\(ChildPlan.key(child)) has no spec hash")
            let refs = live["metadata", "ownerReferences"]?.arrayValue ?? []
            // Every namespaced child is owned except the retained database data (volume and credentials).
            let retainedData = (child.kind == "PersistentVolumeClaim" || child.kind == "Secret")
                && child.labels["app.kubernetes.io/name"] == "postgres"
            if resource.namespaced && !retainedData {
                #expect(refs.contains { $0["uid"]?.stringValue == uid && $0["controller"] == true && $0["blockOwnerDeletion"] == true },
                        "\(ChildPlan.key(child)) lacks the owner reference")
            } else {
                #expect(refs.isEmpty, "\(ChildPlan.key(child)) must have no owner reference")
            }
        }
        let events = try await h.client.list(.events, namespace: h.namespace).items
        #expect(events.contains { $0["reason"] == "Reconciled" && $0["involvedObject", "name"] == "incidents"
            && $0["source", "component"] == "incident-operator" && $0["type"] == "Normal" })
        await h.shutDown()
    }

    @Test func specChangesConvergeAndHandEditsArePutBack() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform()
        try await h.waitReady()
        #expect(try await h.exists(.deployments, "incidents-loki"))
        try await h.applyPlatform { p in
            p["spec", "services", "webUI", "image"] = "ghcr.io/incidentops/web-ui:0.2.0"
            p["spec", "services", "alertIngestion", "autoscaling", "maxReplicas"] = 9
            p["spec", "monitoring", "loki", "enabled"] = false
            p["spec", "monitoring", "promtail", "enabled"] = false
        }
        try await h.eventually("the new image, bounds and no Loki") {
            let web = try await h.client.get(.deployments, name: "incidents-web-ui", namespace: h.namespace)
            let hpa = try await h.client.get(.horizontalPodAutoscalers, name: "incidents-alert-ingestion", namespace: h.namespace)
            let loki = try await h.exists(.deployments, "incidents-loki")
            let promtail = try await h.exists(.daemonSets, "incidents-promtail")
            return web["spec", "template", "spec", "containers", ]?.arrayValue?.first?["image"] == "ghcr.io/incidentops/web-ui:0.2.0"
                && hpa["spec", "maxReplicas"] == 9 && !loki && !promtail
        }
        try await h.eventually("the promtail ClusterRole is gone") { try await !h.exists(.clusterRoles, "incident-platform-incidents-promtail") }
        try await h.waitReady()
        #expect(try await h.status().components["loki"] == nil)

        _ = try await h.client.patch(.horizontalPodAutoscalers, name: "incidents-alert-ingestion", namespace: h.namespace,
                                     .merge(["spec": ["maxReplicas": 42]]))
        try await h.eventually("the hand-edited HPA is put back") {
            try await h.client.get(.horizontalPodAutoscalers, name: "incidents-alert-ingestion", namespace: h.namespace)["spec", "maxReplicas"] == 9
        }
        await h.shutDown()
    }

    @Test func aConvergedPlatformUnderResyncMakesNoWrites() async throws {
        let h = try await OperatorHarness()
        let log = LogSink.memory()
        h.startOperator(resync: .seconds(1), log: log)
        try await h.applyPlatform()
        try await h.waitReady()
        try await Task.sleep(for: .seconds(1.5))  // let the last status and events settle
        let before = try await h.writeCount()
        let resyncsBefore = log.lines.count
        try await Task.sleep(for: .seconds(5))
        let after = try await h.writeCount()
        let counts = try await h.requestCounts()
        #expect(after == before, "writes during steady state: \(counts)")
        #expect(log.lines.count > resyncsBefore, "the resync must have reconciled (log lines)")
        await h.shutDown()
    }

    @Test func deletingKeepsTheRetainedDataAndRemovesTheFinalizer() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform()
        try await h.waitReady()
        let volume = try #require(try await pvc(h))
        let credentials = "incidents-postgres-credentials"
        let password = try await h.client.get(.secrets, name: credentials, namespace: h.namespace)["data", "password"]
        try await h.client.delete(.incidentPlatforms, name: h.name, namespace: h.namespace)
        try await h.eventually("the platform is gone") { try await !h.exists(.incidentPlatforms, h.name) }
        try await h.eventually("the children are gone") {
            let web = try await h.exists(.deployments, "incidents-web-ui")
            let role = try await h.exists(.clusterRoles, "incident-platform-incidents-promtail")
            return !web && !role
        }
        try await h.eventually("the API token Secret (owned) is gone") { try await !h.exists(.secrets, "incidents-api-token") }
        try await h.eventually("the other (owned) volumes are gone") {
            try await h.client.list(.persistentVolumeClaims, namespace: h.namespace).items.map { $0.name ?? "" } == [volume.name ?? ""]
        }
        let kept = try await h.client.get(.persistentVolumeClaims, name: volume.name ?? "", namespace: h.namespace)
        #expect(kept.uid == volume.uid)
        let keptRefs = kept["metadata", "ownerReferences"]?.arrayValue ?? []
        #expect(keptRefs.isEmpty)
        // The credentials stay with the data, and a platform re-created over the volume uses them unchanged.
        let keptSecret = try await h.client.get(.secrets, name: credentials, namespace: h.namespace)
        #expect(keptSecret["metadata", "ownerReferences"]?.arrayValue?.isEmpty ?? true)
        try await h.applyPlatform()
        try await h.waitReady()
        let reused = try await h.client.get(.secrets, name: credentials, namespace: h.namespace)
        #expect(reused.uid == keptSecret.uid)
        #expect(reused["data", "password"] == password)
        #expect(password != nil)
        await h.shutDown()
    }

    /// A platform created with `Delete` and switched to `Retain` before it is deleted keeps its data: the owner
    /// references set under `Delete` are gone (or released at deletion), so garbage collection leaves both.
    @Test func switchingDeleteToRetainBeforeDeletionKeepsTheData() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform { $0["spec", "database", "storage", "deletionPolicy"] = "Delete" }
        try await h.waitReady()
        let volume = try #require(try await pvc(h))
        #expect(volume["metadata", "ownerReferences"]?.arrayValue?.isEmpty == false, "owned under Delete")
        try await h.applyPlatform { $0["spec", "database", "storage", "deletionPolicy"] = "Retain" }
        try await h.eventually("the volume is released under Retain") {
            let live = try await h.client.get(.persistentVolumeClaims, name: volume.name ?? "", namespace: h.namespace)
            return live["metadata", "ownerReferences"]?.arrayValue?.isEmpty ?? true
        }
        try await h.client.delete(.incidentPlatforms, name: h.name, namespace: h.namespace)
        try await h.eventually("the platform is gone") { try await !h.exists(.incidentPlatforms, h.name) }
        try await h.eventually("the owned children are gone") { try await !h.exists(.deployments, "incidents-web-ui") }
        let kept = try await h.client.get(.persistentVolumeClaims, name: volume.name ?? "", namespace: h.namespace)
        #expect(kept.uid == volume.uid)
        #expect(try await h.exists(.secrets, "incidents-postgres-credentials"), "the credentials stay with the data")
        await h.shutDown()
    }

    @Test func deletionNeverRemovesSomeoneElsesFinalizer() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform { $0["metadata", "finalizers"] = ["example.com/keep"] }
        try await h.waitReady()
        #expect(try await h.platform().finalizers.sorted() == ["example.com/keep", PlatformContext.finalizerName])
        try await h.client.delete(.incidentPlatforms, name: h.name, namespace: h.namespace)
        try await h.eventually("only our finalizer is removed") { try await h.platform().finalizers == ["example.com/keep"] }
        try await h.eventually("the cluster-scoped children are gone") { try await !h.exists(.clusterRoles, "incident-platform-incidents-promtail") }
        #expect(try await h.platform().deletionTimestamp != nil)
        await h.shutDown()
    }

    @Test func deletionPolicyDeleteRemovesTheVolume() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform { $0["spec", "database", "storage", "deletionPolicy"] = "Delete" }
        try await h.waitReady()
        let volume = try #require(try await pvc(h))
        try await h.client.delete(.incidentPlatforms, name: h.name, namespace: h.namespace)
        #expect(volume.labels["app.kubernetes.io/name"] == "postgres")
        try await h.eventually("the platform and its volume are gone") {
            let platform = try await h.exists(.incidentPlatforms, h.name)
            let pvc = try await h.exists(.persistentVolumeClaims, volume.name ?? "")
            return !platform && !pvc
        }
        await h.shutDown()
    }

    @Test func volumesGrowButAShrinkIsRefusedWhileTheRestProceeds() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform()
        try await h.waitReady()
        let volume = try #require(try await pvc(h))
        try await h.applyPlatform { p in
            p["spec", "database", "storage", "size"] = "5Gi"
            p["spec", "services", "webUI", "image"] = "ghcr.io/incidentops/web-ui:0.4.0"
        }
        try await h.eventually("the shrink is refused and the image rolled out") {
            let degraded = try await h.status().conditions.condition(ofType: "Degraded")
            let web = try await h.client.get(.deployments, name: "incidents-web-ui", namespace: h.namespace)
            return degraded?.status == .true && degraded?.reason == "StorageShrinkRefused"
                && web["spec", "template", "spec", "containers"]?.arrayValue?.first?["image"] == "ghcr.io/incidentops/web-ui:0.4.0"
        }
        #expect(try await h.status().phase == .degraded)
        var live = try await h.client.get(.persistentVolumeClaims, name: volume.name ?? "", namespace: h.namespace)
        #expect(live["spec", "resources", "requests", "storage"] == "10Gi")
        #expect(live.uid == volume.uid)
        try await h.applyPlatform { $0["spec", "database", "storage", "size"] = "20Gi" }
        try await h.waitReady()
        live = try await h.client.get(.persistentVolumeClaims, name: volume.name ?? "", namespace: h.namespace)
        #expect(live["spec", "resources", "requests", "storage"] == "20Gi")
        #expect(live.uid == volume.uid)
        #expect(try await h.status().conditions.condition(ofType: "Degraded")?.status == .false)
        await h.shutDown()
    }

    @Test func generatedSecretsSurviveReconcilesRestartsAndLeaderChanges() async throws {
        let h = try await OperatorHarness()
        let (firstStop, _) = h.startOperator(leaderElection: true, identity: "first")
        try await h.applyPlatform()
        try await h.waitReady()
        let secretName = try #require(try await desiredChildrenSecrets(h).first)
        let password = try await h.client.get(.secrets, name: secretName, namespace: h.namespace)["data", "password"]
        #expect(password != nil)
        // The API token: generated once with the key `token`; a token the user rotates by hand is kept.
        let tokenSecret = "incidents-api-token"
        let generated = try await h.client.get(.secrets, name: tokenSecret, namespace: h.namespace)
        let token = try #require(generated["data", "token"]?.stringValue)
        #expect(Data(base64Encoded: token).map { $0.count >= 40 } == true)
        #expect(generated["metadata", "ownerReferences"]?.arrayValue?.first?["uid"] == (try await h.platform()).uid.map(JSONValue.string))
        let rotated = JSONValue.string(Data("rotated-by-hand".utf8).base64EncodedString())
        _ = try await h.client.patch(.secrets, name: tokenSecret, namespace: h.namespace, .merge(["data": ["token": rotated]]))
        for i in 0..<10 {
            // Each label change is a platform event, so a reconcile.
            _ = try await h.client.patch(.incidentPlatforms, name: h.name, namespace: h.namespace, .merge(["metadata": ["labels": ["poke": .string("\(i)")]]]))
            try await Task.sleep(for: .milliseconds(100))
        }
        firstStop.trigger(reason: "restart")  // releases the lease
        h.startOperator(leaderElection: true, identity: "second")
        try await h.eventually("the second operator leads") {
            try await h.client.get(.leases, name: "incident-operator-leader", namespace: h.namespace)["spec", "holderIdentity"] == "second"
        }
        try await h.applyPlatform { $0["spec", "services", "webUI", "image"] = "ghcr.io/incidentops/web-ui:0.3.0" }
        try await h.waitReady()
        #expect(try await h.client.get(.secrets, name: secretName, namespace: h.namespace)["data", "password"] == password)
        #expect(try await h.client.get(.secrets, name: tokenSecret, namespace: h.namespace)["data", "token"] == rotated)
        await h.shutDown()
    }

    func desiredChildrenSecrets(_ h: OperatorHarness) async throws -> [String] {
        let live = try await h.platform()
        guard case .success(let platform) = PlatformSpecLoader.load(live) else { return [] }
        return PlatformGenerator.secretRequirements(for: platform).filter { $0.generated && $0.keys.contains("password") }.map(\.name)
    }

    @Test func anInvalidSpecIsReportedOnceAndTearsNothingDown() async throws {
        let h = try await OperatorHarness()
        h.startOperator(resync: .seconds(1))
        try await h.applyPlatform()
        try await h.waitReady()
        try await h.applyPlatform { p in
            p["spec", "services", "webUI", "autoscaling", "minReplicas"] = 6
            p["spec", "services", "oncallService", "autoscaling", "minReplicas"] = 7
        }
        try await h.eventually("SpecValid is False") { try await h.status().phase == .invalid }
        let condition = try #require(try await h.status().conditions.condition(ofType: "SpecValid"))
        #expect(condition.status == .false)
        #expect(condition.message.contains("spec.services.webUI.autoscaling"))
        #expect(condition.message.contains("spec.services.oncallService.autoscaling"))
        try await Task.sleep(for: .seconds(1))
        let before = try await h.requestCounts()
        try await Task.sleep(for: .seconds(3))
        let after = try await h.requestCounts()
        // Only the informers' list/watch traffic: no reconcile retries in a loop (they would GET, PATCH or POST).
        let requests = after.filter { $0.value != before[$0.key] && !$0.key.hasPrefix("LIST") && !$0.key.hasPrefix("WATCH") }
        #expect(requests.isEmpty, "requests while invalid: \(requests)")
        #expect(try await h.exists(.deployments, "incidents-web-ui"))
        #expect(try await h.exists(.deployments, "incidents-loki"))
        let warnings = try await h.client.list(.events, namespace: h.namespace).items.filter { $0["reason"] == "InvalidSpec" }
        #expect(warnings.count == 1)
        await h.shutDown()
    }

    @Test func watchInterruptionsAndExpiredVersionsLoseNoEvents() async throws {
        let h = try await OperatorHarness()
        h.startOperator()
        try await h.applyPlatform()
        try await h.waitReady()
        // Outage: every read (list and watch) fails and open watches end.
        var outage = SandboxFaults()
        outage.readErrorRate = 1
        h.sandbox.setFaults(outage)
        h.sandbox.closeWatches()
        try await h.applyPlatform { $0["spec", "services", "incidentManagement", "image"] = "ghcr.io/incidentops/incident-management:0.9.0" }
        _ = try await h.client.patch(.horizontalPodAutoscalers, name: "incidents-alert-ingestion", namespace: h.namespace,
                                     .merge(["spec": ["maxReplicas": 33]]))
        try await Task.sleep(for: .milliseconds(500))
        // The events of the outage are dropped from the history: resuming gets 410 and must relist.
        h.sandbox.compactHistory()
        h.sandbox.setFaults(SandboxFaultsFactory.interruptions())
        try await h.eventually("changes made during the outage are reconciled", timeout: 30) {
            let d = try await h.client.get(.deployments, name: "incidents-incident-management", namespace: h.namespace)
            let hpa = try await h.client.get(.horizontalPodAutoscalers, name: "incidents-alert-ingestion", namespace: h.namespace)
            return d["spec", "template", "spec", "containers"]?.arrayValue?.first?["image"] == "ghcr.io/incidentops/incident-management:0.9.0"
                && hpa["spec", "maxReplicas"] == 5
        }
        h.sandbox.setFaults(SandboxFaults())
        try await h.waitReady()
        await h.shutDown()
    }

}
