/// `incident-operator render`.
enum RenderCommand {
    static let command = Command(name: "render", summary: "Render every child object of an IncidentPlatform (offline)", options: []) { _ in
        Console.error("render: not implemented yet")
        return 1
    }
}
