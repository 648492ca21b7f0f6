import IncidentPlatform

/// `incident-operator version`.
enum VersionCommand {
    /// The released version of the binary: the project's one version constant, also the default platform image's tag.
    static let version = PlatformDefaults.applicationVersion

    static let command = Command(name: "version", summary: "Print the version", options: []) { _ in
        print("incident-operator \(version)")
        return 0
    }
}
