import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: names, labels, owner references")
struct GeneratorMetadataTests {
    static let clusterScoped: Set<String> = ["ClusterRole", "ClusterRoleBinding"]

    @Test func everyChildHasTheFiveStandardLabelsComputedFromThePlatform() throws {
        // The CR carries Argo CD's tracking label: children must not inherit it.
        let r = RenderedPlatform(labels: ["app.kubernetes.io/instance": "argocd-app", "team": "sre"])
        #expect(r.objects.count > 40)
        for o in r.objects {
            let labels = o.labels
            #expect(labels["app.kubernetes.io/instance"] == "demo", "\(o.objectKey)")
            #expect(labels["app.kubernetes.io/part-of"] == "incident-platform", "\(o.objectKey)")
            #expect(labels["app.kubernetes.io/managed-by"] == "incident-operator", "\(o.objectKey)")
            #expect(labels["app.kubernetes.io/name"]?.isEmpty == false, "\(o.objectKey)")
            #expect(labels["app.kubernetes.io/component"]?.isEmpty == false, "\(o.objectKey)")
            #expect(labels["team"] == nil, "\(o.objectKey)")
        }
        #expect(try r.object("Deployment", "demo-alert-ingestion").labels["app.kubernetes.io/name"] == "alert-ingestion")
    }

    @Test func namesAreStableAndPrefixedAndUniquePerKind() {
        let r = RenderedPlatform()
        var seen: Set<String> = []
        for o in r.objects {
            let name = o.name ?? ""
            let kind = o.kind ?? ""
            #expect(seen.insert("\(kind)/\(name)").inserted, "duplicate \(kind)/\(name)")
            if Self.clusterScoped.contains(kind) {
                #expect(["ops-demo-promtail", "ops-demo-prometheus"].contains(name), "\(kind)/\(name)")
                #expect(o.namespace == nil)
            } else {
                #expect(name.hasPrefix("demo-"), "\(kind)/\(name)")
                #expect(name.count <= 63)
                #expect(o.namespace == "ops", "\(kind)/\(name)")
            }
        }
        #expect(r.objects == RenderedPlatform().objects, "rendering is deterministic")
    }

    @Test func selectorsUseOnlyNameAndInstance() throws {
        let r = RenderedPlatform()
        for o in r.all("Deployment") + r.all("DaemonSet") {
            let selector = try #require(o["spec", "selector", "matchLabels"]?.objectValue)
            #expect(Set(selector.keys) == ["app.kubernetes.io/name", "app.kubernetes.io/instance"], "\(o.objectKey)")
            let podLabels = try #require(o["spec", "template", "metadata", "labels"]?.objectValue)
            for (k, v) in selector { #expect(podLabels[k] == v, "\(o.objectKey): pod template must match its selector") }
        }
        for o in r.all("Service") {
            #expect(o["spec", "selector"]?.objectValue?.count == 2, "\(o.objectKey)")
        }
    }

    @Test func namespacedChildrenAreOwnedExceptTheRetainedDatabaseVolume() throws {
        let r = RenderedPlatform()
        let owner: JSONValue = [
            "apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform", "name": "demo", "uid": "uid-1",
            "controller": true, "blockOwnerDeletion": true,
        ]
        for o in r.objects {
            let refs = o["metadata", "ownerReferences"]
            if Self.clusterScoped.contains(o.kind ?? "") {
                #expect(refs == nil, "\(o.objectKey): a namespaced owner cannot own a cluster-scoped object")
            } else if o.kind == "PersistentVolumeClaim" && o.name == "demo-postgres" {
                #expect(refs == nil, "the database volume must survive the platform (deletionPolicy Retain)")
            } else {
                #expect(refs == [owner], "\(o.objectKey)")
            }
        }
        // Monitoring volumes are owned: only the database has a retention policy.
        #expect(try r.object("PersistentVolumeClaim", "demo-prometheus")["metadata", "ownerReferences"] == [owner])
    }

    @Test func deletionPolicyDeleteGivesTheDatabaseVolumeAnOwner() throws {
        let r = RenderedPlatform { $0.database.storage.deletionPolicy = .delete }
        let pvc = try r.object("PersistentVolumeClaim", "demo-postgres")
        #expect(pvc["metadata", "ownerReferences"]?.arrayValue?.count == 1)
        #expect(pvc["metadata", "annotations"] == nil)
    }

    @Test func childrenWithoutAnOwnerAreProtectedFromArgoCDPruning() throws {
        // Argo CD prunes only objects without an owner reference: those are marked, and only those.
        let r = RenderedPlatform()
        let unowned = r.objects.filter { $0["metadata", "ownerReferences"] == nil }
        // promtail's and Prometheus' ClusterRole and binding, and the database volume.
        #expect(unowned.compactMap(\.kind).sorted() == ["ClusterRole", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "PersistentVolumeClaim"])
        for o in unowned {
            #expect(o.annotations["argocd.argoproj.io/sync-options"] == "Prune=false,Delete=false", "\(o.objectKey)")
            #expect(o.annotations["argocd.argoproj.io/compare-options"] == "IgnoreExtraneous", "\(o.objectKey)")
        }
        for o in r.objects where o["metadata", "ownerReferences"] != nil {
            #expect(o.annotations["argocd.argoproj.io/sync-options"] == nil, "\(o.objectKey)")
        }
    }

    @Test func withoutAUIDThereAreNoOwnerReferences() {
        let r = RenderedPlatform(uid: nil)
        #expect(r.objects.allSatisfy { $0["metadata", "ownerReferences"] == nil })
    }

    @Test func objectsComeInApplyOrder() {
        let kinds = RenderedPlatform().objects.compactMap(\.kind)
        let ranks = kinds.map { PlatformGenerator.applyOrder.firstIndex(of: $0) ?? -1 }
        #expect(!ranks.contains(-1), "every kind has a place in the apply order")
        #expect(ranks == ranks.sorted())
        #expect((kinds.firstIndex(of: "ServiceAccount") ?? .max) < (kinds.firstIndex(of: "Deployment") ?? .min))
    }

    @Test func everyEmittedKindIsAKnownChildResourceWithItsAPIVersion() {
        let objects = RenderedPlatform(secrets: .generate).objects
        for o in objects {
            let resource = PlatformGenerator.childResources.first { $0.kind == o.kind }
            #expect(resource?.apiVersion == o.apiVersion, "\(o.objectKey)")
            #expect(resource?.namespaced == (o.namespace != nil), "\(o.objectKey)")
        }
        #expect(Set(objects.compactMap(\.kind)) == Set(PlatformGenerator.childResources.map(\.kind)))
    }

    @Test func disabledComponentsGenerateNothing() {
        let everything = RenderedPlatform()
        for component in ["prometheus", "grafana", "loki", "promtail", "node-exporter"] {
            let r = RenderedPlatform {
                switch component {
                case "prometheus": $0.monitoring.prometheus.enabled = false
                case "grafana": $0.monitoring.grafana.enabled = false
                case "loki": $0.monitoring.loki.enabled = false
                case "promtail": $0.monitoring.promtail.enabled = false
                default: $0.monitoring.nodeExporter.enabled = false
                }
            }
            #expect(everything.objects.contains { $0.labels["app.kubernetes.io/name"] == component })
            #expect(!r.objects.contains { $0.labels["app.kubernetes.io/name"] == component }, "\(component) disabled")
        }
        let noPolicies = RenderedPlatform { $0.networkPolicy.enabled = false }
        #expect(noPolicies.all("NetworkPolicy").isEmpty)
        // Without Loki promtail has nowhere to push.
        #expect(RenderedPlatform { $0.monitoring.loki.enabled = false }.all("DaemonSet").map(\.name) == ["demo-node-exporter"])
    }
}

@Suite("Generators: name lengths")
struct GeneratorNameLengthTests {
    @Test func theLongestPlatformNameKeepsEveryChildNameAndLabelWithinLimits() {
        let name = String(repeating: "p", count: IncidentPlatform.maxNameLength)
        let platform = IncidentPlatform(name: name, namespace: String(repeating: "n", count: 63), uid: "u")
        let objects = PlatformGenerator.desiredObjects(for: platform, secrets: .generate)
        #expect(objects.count > 40)
        for o in objects {
            let childName = o.name ?? ""
            if o.namespace != nil {
                #expect(childName.count <= 63, "\(childName) is not a valid DNS label")
                #expect(childName.count - name.count <= IncidentPlatform.maxChildNameSuffixLength, "\(childName)")
            } else {
                #expect(childName.count <= 253)
            }
            for (key, value) in o.labels { #expect(value.count <= 63, "\(key)=\(value)") }
        }
    }
}
