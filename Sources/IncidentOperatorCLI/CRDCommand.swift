/// `incident-operator crd`.
enum CRDCommand {
    static let command = Command(name: "crd", summary: "Print the IncidentPlatform CustomResourceDefinition", options: []) { _ in
        Console.error("crd: not implemented yet")
        return 1
    }
}
