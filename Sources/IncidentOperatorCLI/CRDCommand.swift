import IncidentPlatform
import KubeCore

/// `incident-operator crd`: prints the IncidentPlatform CRD (or, with `--reference`, the CR reference).
enum CRDCommand {
    static let command = Command(
        name: "crd", summary: "Print the IncidentPlatform CustomResourceDefinition",
        options: [
            Option(long: "output", short: "o", valueName: "FORMAT", defaultValue: "yaml", help: "yaml or json"),
            Option(long: "reference", help: "print the CR reference (every field, default and meaning) as Markdown instead"),
        ]
    ) { options in
        if options.flag("reference") {
            print(CRReference.markdown, terminator: "")
            return 0
        }
        switch options.value("output") {
        case "yaml": print(IncidentPlatformCRD.yaml, terminator: "")
        case "json": print(IncidentPlatformCRD.definition.prettyJSONString())
        default: throw UsageError("invalid value \"\(options.value("output") ?? "")\" for --output: expected yaml or json")
        }
        return 0
    }
}
