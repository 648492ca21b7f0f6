import Foundation
import Testing

@testable import KubeCore

/// The parser against YAML that no one here wrote, compared with PyYAML's `safe_load_all`.
@Suite struct YAMLReferenceTests {
    @Test(arguments: ["application-crd.yaml", "appproject-crd.yaml"])
    func argoCDCustomResourceDefinitionsParseLikePyYAML(file: String) throws {
        let url = try YAMLTestFiles.argocdReference().appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let ours = try YAML.parseDocuments(text)
        let reference = try PyYAML.loadAll(file: url)
        #expect(ours.count == reference.count)
        #expect(!ours.isEmpty)
        for (mine, theirs) in zip(ours, reference) {
            #expect(PyYAML.normalized(mine) == theirs, "\(PyYAML.normalized(mine).firstDifference(from: theirs) ?? "")")
        }
    }

    @Test(arguments: [
        "scalars.yaml", "multiline.yaml", "structure.yaml", "documents.yaml", "kubeconfig.yaml", "helm-values.yaml",
    ])
    func trickyFixturesParseLikePyYAML(file: String) throws {
        let url = YAMLTestFiles.fixtures.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let ours = try YAML.parseDocuments(text)
        let reference = try PyYAML.loadAll(file: url)
        #expect(ours.count == reference.count)
        for (mine, theirs) in zip(ours, reference) {
            #expect(PyYAML.normalized(mine) == theirs, "\(PyYAML.normalized(mine).firstDifference(from: theirs) ?? "")")
        }
    }

    @Test func argoCDCustomResourceDefinitionsRoundTripThroughTheEmitter() throws {
        let directory = try YAMLTestFiles.argocdReference()
        var documents: [JSONValue] = []
        for file in ["application-crd.yaml", "appproject-crd.yaml"] {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            documents += try YAML.parseDocuments(text)
        }
        let emitted = documents.map(YAML.emit)
        let reference = try PyYAML.loadAll(texts: emitted)
        for (index, document) in documents.enumerated() {
            #expect(try YAML.parse(emitted[index]) == document)
            #expect(reference[index] == [document], "\(reference[index].first?.firstDifference(from: document) ?? "")")
        }
        #expect(try YAML.parseDocuments(YAML.emitDocuments(documents)) == documents)
    }
}
