import Foundation

/// Files the YAML tests read.
enum YAMLTestFiles {
    /// The package root (this file is in Tests/KubeCoreTests/).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `shared/reference/argocd` beside the package (or beside one of its parent folders).
    static func argocdReference() throws -> URL {
        var dir = packageRoot
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent("shared/reference/argocd")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("application-crd.yaml").path) {
                return candidate
            }
        }
        throw PyYAML.Failure(
            description: "the Argo CD reference CRDs are missing: expected shared/reference/argocd/ beside the "
                + "repository (\(packageRoot.deletingLastPathComponent().path)/shared); clone the shared folder there")
    }

    /// Tests/KubeCoreTests/Fixtures/yaml.
    static let fixtures = packageRoot.appendingPathComponent("Tests/KubeCoreTests/Fixtures/yaml")
}
