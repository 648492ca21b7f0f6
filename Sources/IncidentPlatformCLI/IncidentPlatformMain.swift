import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Logging
import PlatformServices

/// `incident-platform`: the platform's four services in one binary.
@main
enum IncidentPlatformMain {
    static let usage = """
        incident-platform \(PlatformVersion.current): the incident platform's services

        USAGE:
          incident-platform serve [COMPONENT]   run one service until SIGTERM/SIGINT
          incident-platform healthcheck         exit 0 when GET /health on 127.0.0.1:$PORT answers 200
          incident-platform --version | --help

        COMPONENT is alert-ingestion, incident-management, oncall-service or web-ui (default: $SERVICE_NAME).

        ENVIRONMENT (what the operator sets):
          SERVICE_NAME, PORT (default 8000; web-ui 8080), PLATFORM_API_TOKEN (required, 16+ characters),
          DATABASE_HOST, DATABASE_PORT (5432), DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD (all but web-ui),
          ALERT_INGESTION_URL, INCIDENT_MANAGEMENT_URL, ONCALL_SERVICE_URL (optional peers).
        OPTIONAL:
          LISTEN_ADDRESS (0.0.0.0), DATABASE_SSLMODE (prefer; disable|allow|prefer|require|verify-ca|verify-full),
          DATABASE_SSLROOTCERT (CA bundle file), DATABASE_POOL_SIZE (10), INGEST_RATE_LIMIT (500 alerts/s per token;
          0 = off), INGEST_RATE_BURST (4 x the rate), LOG_LEVEL (debug|info|warn|error), LOG_FORMAT (json|text).

        """

    static func main() async {
        var args = Array(CommandLine.arguments.dropFirst())
        let command = args.isEmpty ? "--help" : args.removeFirst()
        let env = ProcessInfo.processInfo.environment
        switch command {
        case "--help", "-h", "help":
            print(usage, terminator: "")
        case "--version", "version":
            print("incident-platform \(PlatformVersion.current)")
        case "healthcheck":
            let fallback = ServiceComponent(rawValue: env["SERVICE_NAME"] ?? "")?.defaultPort ?? 8000
            let port = env["PORT"].flatMap(Int.init) ?? fallback
            exit(HealthProbe.check(port: port) ? 0 : 1)
        case "serve":
            await serve(args, env)
        default:
            fail("unknown command \"\(command)\"; run `incident-platform --help`")
        }
    }

    static func serve(_ args: [String], _ env: [String: String]) async {
        guard args.count <= 1 else { fail("serve takes at most one COMPONENT, got \(args.joined(separator: " "))") }
        var component: ServiceComponent?
        if let name = args.first {
            guard let c = ServiceComponent(rawValue: name) else {
                fail("unknown component \"\(name)\"; use one of \(ServiceComponent.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            component = c
        }
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(env, component: component)
        } catch {
            fail("configuration error: \(error)")
        }
        let level = env["LOG_LEVEL"].flatMap(LogLevel.init(name:)) ?? .info
        let format: LogFormat = env["LOG_FORMAT"] == "text" ? .text : .json
        let logger = Logger(name: "incident-platform", level: level, format: format, sink: .standardOutput)
        exit(await ServiceRunner.run(configuration, logger: logger))
    }

    static func fail(_ message: String) -> Never {
        let line = Array("incident-platform: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
}
