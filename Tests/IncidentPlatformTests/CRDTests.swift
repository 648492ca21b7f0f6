import Foundation
import Testing
import KubeCore
@testable import IncidentPlatform

/// The repository root, found from this file's path (Tests/IncidentPlatformTests/CRDTests.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct CRDTests {
    var version: JSONValue { IncidentPlatformCRD.definition["spec", "versions"]?.arrayValue?.first ?? .null }
    var schema: JSONValue { version["schema", "openAPIV3Schema"] ?? .null }

    @Test func identity() {
        let crd = IncidentPlatformCRD.definition
        #expect(crd.apiVersion == "apiextensions.k8s.io/v1")
        #expect(crd.kind == "CustomResourceDefinition")
        #expect(crd.name == "incidentplatforms.incidentops.io")
        #expect(crd["spec", "scope"] == "Namespaced")
        #expect(crd["spec", "names", "shortNames"] == ["iplat"])
        #expect(crd["spec", "names", "categories"] == ["incidentops"])
        #expect(version["name"] == "v1alpha1")
        #expect(version["subresources", "status"] == [:])
        let columns = version["additionalPrinterColumns"]?.arrayValue?.map { [$0["name"], $0["jsonPath"]] }
        #expect(columns == [["Phase", ".status.phase"], ["Ready", ".status.ready"], ["Age", ".metadata.creationTimestamp"]])
    }

    @Test func everyPropertyHasADescriptionAndIsStructural() {
        var missing: [String] = []
        func walk(_ node: JSONValue, _ path: String) {
            if (node["description"]?.stringValue ?? "").isEmpty { missing.append(path) }
            if node["type"] == nil && node["x-kubernetes-int-or-string"] != true { missing.append("\(path) (no type)") }
            for (key, child) in node["properties"]?.objectValue ?? [:] { walk(child, "\(path).\(key)") }
            if let items = node["items"] { walk(items, "\(path)[]") }
            if let value = node["additionalProperties"] { walk(value, "\(path).*") }
        }
        walk(schema, "")
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test func defaultsComeFromTheSameConstants() {
        let spec = schema["properties", "spec", "properties"]
        #expect(spec?["services", "properties", "webUI", "properties", "port", "default"] == .int(PlatformDefaults.webUIPort))
        #expect(spec?["services", "properties", "alertIngestion", "properties", "image", "default"]
                == .string(PlatformDefaults.image(for: .alertIngestion)))
        #expect(spec?["database", "properties", "storage", "properties", "size", "default"] == .string(PlatformDefaults.databaseStorageSize))
        #expect(spec?["monitoring", "properties", "prometheus", "properties", "scrapeInterval", "default"] == "15s")
        #expect(spec?["disruptionBudget", "properties", "maxUnavailable", "default"] == 1)
    }

    @Test func schemaDefaultsDecodeToTheSwiftDefaults() throws {
        // Apply the CRD's own defaults to an empty spec (as the API server would) and decode the result.
        func applyDefaults(_ node: JSONValue, _ value: JSONValue?) -> JSONValue? {
            var v = value ?? node["default"]
            if var members = v?.objectValue {
                for (key, child) in node["properties"]?.objectValue ?? [:] {
                    if let d = applyDefaults(child, members[key]) { members[key] = d }
                }
                v = .object(members)
            }
            return v
        }
        let defaulted = applyDefaults(schema["properties", "spec"] ?? .null, nil)
        #expect(try PlatformSpecLoader.loadSpec(defaulted).get() == IncidentPlatformSpec())
        #expect(defaulted?["services", "webUI", "autoscaling", "maxReplicas"] == 5)
    }

    @Test func celRules() {
        let spec = schema["properties", "spec", "properties"]
        let autoscaling = spec?["services", "properties", "webUI", "properties", "autoscaling", "x-kubernetes-validations"]
        #expect(autoscaling?.arrayValue?.first?["rule"] == "self.minReplicas <= self.maxReplicas")
        let storageRules = spec?["database", "properties", "storage", "x-kubernetes-validations"]?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
        #expect(storageRules.contains { $0.contains("oldSelf.storageClassName") })
        #expect(storageRules.contains("quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0"))
        let lokiStorageRules = spec?["monitoring", "properties", "loki", "properties", "storage", "x-kubernetes-validations"]?.arrayValue
        #expect(lokiStorageRules?.count == 2)
        #expect(schema["x-kubernetes-validations"]?.arrayValue?.first?["rule"] == "size(self.metadata.name) <= 39")
    }

    @Test func committedCRDFileIsCurrent() throws {
        let url = repositoryRoot.appendingPathComponent("crds/incidentplatforms.incidentops.io.yaml")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == YAML.emit(IncidentPlatformCRD.definition),
                "crds/ is stale: run `make crd` (incident-operator crd > crds/incidentplatforms.incidentops.io.yaml)")
    }

    @Test func committedReferenceIsCurrent() throws {
        let url = repositoryRoot.appendingPathComponent("docs/cr-reference.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == CRReference.markdown, "docs/cr-reference.md is stale: run `incident-operator crd --reference > docs/cr-reference.md`")
    }

    @Test func referenceNamesEveryLeafField() {
        let doc = CRReference.markdown
        for field in ["`targetMemoryUtilizationPercentage`", "`deletionPolicy`", "`storageClassName`", "`scrapeInterval`",
                      "`maxUnavailable`", "## `spec.monitoring.grafana.adminSecretRef`", "`lastTransitionTime`", "## `spec.monitoring.nodeExporter.resources.limits`"] {
            #expect(doc.contains(field), "\(field)")
        }
    }
}
