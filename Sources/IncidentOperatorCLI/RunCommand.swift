import Foundation
import KubeClient
import KubeCore
import KubeRuntime
import PlatformController
import Logging
import Signals

/// `incident-operator run`: the operator against a cluster, until SIGTERM or SIGINT.
enum RunCommand {
    static let command = Command(
        name: "run", summary: "Run the operator against a cluster (until SIGTERM/SIGINT)",
        options: [
            Option(long: "kubeconfig", valueName: "FILE", help: "kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)"),
            Option(long: "context", valueName: "NAME", help: "kubeconfig context to use"),
            Option(long: "namespace", short: "n", valueName: "NS", help: "watch only this namespace (default: all namespaces)"),
            Option(long: "workers", valueName: "N", defaultValue: "4", help: "concurrent reconciles"),
            Option(long: "leader-elect", help: "take part in leader election; only the leader reconciles"),
            Option(long: "leader-election-namespace", valueName: "NS", help: "namespace of the Lease (default: the kubeconfig's or pod's namespace)"),
            Option(long: "leader-election-id", valueName: "NAME", defaultValue: "incident-operator-leader", help: "name of the Lease"),
            Option(long: "metrics-bind-address", valueName: "ADDR", defaultValue: ":8080", help: "where /metrics listens; 0 turns it off"),
            Option(long: "health-probe-bind-address", valueName: "ADDR", defaultValue: ":8081", help: "where /healthz and /readyz listen; 0 turns them off"),
            Option(long: "log-level", valueName: "LEVEL", defaultValue: "info", help: "debug, info, warn or error"),
            Option(long: "log-format", valueName: "FORMAT", defaultValue: "json", help: "json (one object per line) or text"),
            Option(long: "resync-period", valueName: "DURATION", defaultValue: "10m", help: "how often every object is reconciled again even without changes"),
        ]
    ) { parsed in
        let arenas = MallocArenas.apply()
        let logger = try makeLogger(parsed)
        let configuration: ClientConfiguration
        do {
            configuration = try ClientConfiguration.load(kubeconfig: parsed.value("kubeconfig"), context: parsed.value("context"))
        } catch {
            Console.error("cannot load the cluster configuration: \(error)")
            return 1
        }
        var config = try operatorConfiguration(parsed, logger: logger, defaultLeaseNamespace: configuration.namespace)
        config.namespace = parsed.value("namespace")
        let client = KubeClient(configuration: configuration, logger: clientLogger(logger))
        let stop = SignalHandling.shutdownSignal()
        logger.info("Starting incident-operator", [
            "server": .string(configuration.server), "namespace": .string(config.namespace ?? "(all)"),
            "workers": .int(config.workers), "leaderElection": .bool(config.leaderElection),
            "mallocArenas": .string(arenas.map { "\($0)" } ?? ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] ?? "default"),
        ])
        do {
            try await PlatformOperator(client: client, configuration: config).run(until: stop)
        } catch {
            logger.error("The operator failed", ["error": .error(error)])
            return 1
        }
        return 0
    }

    /// The runtime logger from `--log-level` and `--log-format`.
    static func makeLogger(_ parsed: ParsedOptions) throws -> Logger {
        let levelName = parsed.value("log-level") ?? "info"
        guard let level = LogLevel(name: levelName) else {
            throw UsageError("invalid --log-level \"\(levelName)\": expected debug, info, warn or error")
        }
        let formatName = parsed.value("log-format") ?? "json"
        guard let format = LogFormat(rawValue: formatName) else {
            throw UsageError("invalid --log-format \"\(formatName)\": expected json or text")
        }
        return Logger(name: "incident-operator", level: level, format: format, sink: .standardError)
    }

    /// The client's log lines through the structured logger.
    static func clientLogger(_ logger: Logger) -> ClientLogger {
        let log = logger.named("client")
        let minimum: ClientLogger.Level = log.isEnabled(.debug) ? .debug : .info
        return ClientLogger(minimumLevel: minimum) { level, message in
            switch level {
            case .debug: log.debug(message)
            case .info: log.info(message)
            case .warning: log.warn(message)
            case .error: log.error(message)
            }
        }
    }

    /// The operator settings shared by `run` and `dev`.
    static func operatorConfiguration(_ parsed: ParsedOptions, logger: Logger, defaultLeaseNamespace: String) throws -> OperatorConfiguration {
        let host = ProcessInfo.processInfo.hostName
        var config = OperatorConfiguration(identity: "\(host)_\(UUID().uuidString.lowercased().prefix(8))", logger: logger)
        guard let workers = try parsed.int("workers"), workers >= 1 else { throw UsageError("invalid --workers: expected an integer of at least 1") }
        config.workers = workers
        config.leaderElection = parsed.flag("leader-elect")
        config.leaderElectionNamespace = parsed.value("leader-election-namespace") ?? defaultLeaseNamespace
        config.leaderElectionID = parsed.value("leader-election-id") ?? config.leaderElectionID
        config.metricsBindAddress = parsed.value("metrics-bind-address") ?? config.metricsBindAddress
        config.healthProbeBindAddress = parsed.value("health-probe-bind-address") ?? config.healthProbeBindAddress
        for flag in ["metrics-bind-address", "health-probe-bind-address"] {
            do { _ = try BindAddress.parse(parsed.value(flag) ?? "0", flag: flag) } catch { throw UsageError("\(error)") }
        }
        if let text = parsed.value("resync-period") {
            guard let seconds = parseDuration(text), seconds > 0 else {
                throw UsageError("invalid --resync-period \"\(text)\": expected a duration such as 30s, 10m or 1h")
            }
            config.informerOptions.resyncPeriod = .milliseconds(Int64(seconds * 1000))
        }
        return config
    }

    /// Parses `500ms`, `30s`, `10m`, `1h`.
    static func parseDuration(_ text: String) -> Double? {
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n >= 0 { return n * factor }
        }
        return nil
    }
}
