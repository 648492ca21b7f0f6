import Foundation
import Testing
@testable import IncidentPlatform
import KubeCore

/// Pins the full `incident-operator render -o yaml` output of `examples/platform.yaml`.
///
/// After an intended change, regenerate the golden file with
/// `UPDATE_GOLDEN=1 swift test --filter GoldenRenderTests` and review the diff with `git diff`.
@Suite("Golden render")
struct GoldenRenderTests {
    static let goldenPath = "Tests/IncidentPlatformTests/Fixtures/golden/platform.yaml"

    private func render(_ example: String) throws -> String {
        let text = try GeneratorTestSupport.read(example)
        let platforms = try PlatformRenderer.platforms(fromYAML: text, source: example).get()
        return PlatformRenderer.format(PlatformRenderer.objects(for: platforms, secrets: .omit), as: .yaml)
    }

    @Test func renderOfTheFullExampleMatchesTheGoldenFile() throws {
        let rendered = try render("examples/platform.yaml")
        let url = GeneratorTestSupport.repositoryRoot.appendingPathComponent(Self.goldenPath)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try GeneratorTestSupport.read(Self.goldenPath)
        guard rendered != golden else { return }
        let (a, b) = (golden.split(separator: "\n", omittingEmptySubsequences: false),
                      rendered.split(separator: "\n", omittingEmptySubsequences: false))
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let expected = line < a.count ? String(a[line]) : "<end of file>"
        let actual = line < b.count ? String(b[line]) : "<end of file>"
        Issue.record("""
            render -o yaml of examples/platform.yaml differs from \(Self.goldenPath) at line \(line + 1):
              golden:   \(expected)
              rendered: \(actual)
            (\(a.count) golden lines, \(b.count) rendered lines.) If the change is intended, regenerate the file with
              UPDATE_GOLDEN=1 swift test --filter GoldenRenderTests
            and review it with `git diff \(Self.goldenPath)`.
            """)
    }

    @Test func theMinimalExampleRendersLikeTheFullOneApartFromItsDocumentedDifferences() throws {
        // examples/platform.yaml sets every default explicitly (plus LOG_LEVEL variables): same object set.
        let full = try PlatformRenderer.platforms(fromYAML: GeneratorTestSupport.read("examples/platform.yaml"), source: "full").get()
        let minimal = try PlatformRenderer.platforms(fromYAML: GeneratorTestSupport.read("examples/platform-minimal.yaml"), source: "minimal").get()
        let keys = { (p: [IncidentPlatform]) in
            PlatformRenderer.objects(for: p, secrets: .omit).map { "\($0.kind ?? "")/\($0.name?.split(separator: "-").dropFirst().joined(separator: "-") ?? "")" }
        }
        #expect(keys(full) == keys(minimal))
        #expect(keys(full).count > 40)
    }

    @Test func invalidManifestsReportEveryProblemWithTheFileName() {
        let text = """
            apiVersion: incidentops.io/v1alpha1
            kind: IncidentPlatform
            metadata: {name: demo}
            spec:
              services:
                webUI: {autoscaling: {minReplicas: 6, maxReplicas: 5}}
              networkPolicy: {enabled: maybe}
            """
        guard case .failure(let problems) = PlatformRenderer.platforms(fromYAML: text, source: "bad.yaml") else {
            Issue.record("an invalid manifest must fail")
            return
        }
        #expect(problems.lines.count >= 2)
        #expect(problems.lines.allSatisfy { $0.hasPrefix("bad.yaml: spec.") })
        #expect(problems.lines.contains { $0.contains("minReplicas") })
        #expect(problems.lines.contains { $0.contains("networkPolicy.enabled") })
    }

    @Test func yamlErrorsAndEmptyFilesNameTheFile() {
        guard case .failure(let broken) = PlatformRenderer.platforms(fromYAML: "kind: [unclosed", source: "broken.yaml"),
              case .failure(let empty) = PlatformRenderer.platforms(fromYAML: "# nothing\n", source: "empty.yaml") else {
            Issue.record("both must fail")
            return
        }
        #expect(broken.lines.count == 1 && broken.lines[0].hasPrefix("broken.yaml: yaml: line "))
        #expect(empty.lines == ["empty.yaml: no IncidentPlatform found (the file has no YAML document)"])
    }

    @Test func multipleDocumentsAreRenderedAndProblemsNameTheDocument() throws {
        let two = """
            apiVersion: incidentops.io/v1alpha1
            kind: IncidentPlatform
            metadata: {name: one, namespace: a}
            ---
            apiVersion: incidentops.io/v1alpha1
            kind: IncidentPlatform
            metadata: {name: two, namespace: b}
            """
        let platforms = try PlatformRenderer.platforms(fromYAML: two, source: "two.yaml").get()
        #expect(platforms.map(\.name) == ["one", "two"])
        guard case .failure(let problems) = PlatformRenderer.platforms(fromYAML: two + "\n---\nkind: ConfigMap\n", source: "x.yaml") else {
            Issue.record("a ConfigMap is not an IncidentPlatform")
            return
        }
        #expect(problems.lines.allSatisfy { $0.hasPrefix("x.yaml (document 3): ") })
    }

    @Test func outputFormats() throws {
        let platforms = try PlatformRenderer.platforms(fromYAML: GeneratorTestSupport.read("examples/platform-minimal.yaml"), source: "m").get()
        let objects = PlatformRenderer.objects(for: platforms, secrets: .omit)
        let list = try JSONValue(json: PlatformRenderer.format(objects, as: .json))
        #expect(list["apiVersion"] == "v1" && list["kind"] == "List")
        #expect(list["items"]?.arrayValue == objects)
        let table = PlatformRenderer.format(objects, as: .table).split(separator: "\n")
        #expect(table.first?.hasPrefix("KIND") == true && table.first?.contains("NAMESPACE") == true)
        #expect(table.last == "\(objects.count) objects")
        #expect(table.count == objects.count + 2)
        #expect(try YAML.parseDocuments(PlatformRenderer.format(objects, as: .yaml)) == objects)
    }
}
