import KubeCore
import PlatformController

/// `incident-operator rbac`: the ClusterRole the operator needs, from the same table its informers and
/// reconciler use (``OperatorPermissions``).
enum RBACCommand {
    static let command = Command(
        name: "rbac", summary: "Print the ClusterRole the operator needs",
        options: [
            Option(long: "output", short: "o", valueName: "FORMAT", defaultValue: "yaml", help: "yaml or json"),
            Option(long: "name", valueName: "NAME", defaultValue: "incident-operator", help: "the ClusterRole's name"),
        ]
    ) { options in
        let role = OperatorPermissions.clusterRole(name: options.value("name") ?? "incident-operator")
        switch options.value("output") {
        case "yaml": print(YAML.emit(role), terminator: "")
        case "json": print(role.prettyJSONString())
        default: throw UsageError("invalid value \"\(options.value("output") ?? "")\" for --output: expected yaml or json")
        }
        return 0
    }
}
