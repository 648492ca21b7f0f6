import Foundation
import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime
import KubeSandbox
import PlatformController
import Signals

/// `incident-operator dev`: the sandbox, the CRD, the example platform and the operator in one process.
enum DevCommand {
    static let command = Command(
        name: "dev", summary: "Start the sandbox, install the example and run the operator",
        options: [
            Option(long: "port", valueName: "P", defaultValue: "0", help: "port of the sandbox API server (0 picks a free one)"),
            Option(long: "file", short: "f", valueName: "FILE", defaultValue: "examples/platform.yaml", help: "the IncidentPlatform to apply"),
            Option(long: "exit-when-ready", help: "exit 0 once the platform is Ready and the table is printed (for tests)"),
            Option(long: "timeout", valueName: "DURATION", defaultValue: "120s", help: "with --exit-when-ready: give up (exit 1) after this long"),
            Option(long: "ready-delay", valueName: "DURATION", defaultValue: "1s", help: "how long simulated workloads take to become ready"),
            Option(long: "log-level", valueName: "LEVEL", defaultValue: "warn", help: "operator log level (logs go to stderr)"),
            Option(long: "log-format", valueName: "FORMAT", defaultValue: "text", help: "json or text"),
        ]
    ) { parsed in
        let logger = try RunCommand.makeLogger(parsed)
        guard let port = try parsed.int("port"), (0...65535).contains(port) else { throw UsageError("invalid --port: expected 0-65535") }
        let timeoutText = parsed.value("timeout") ?? "120s"
        guard let timeout = RunCommand.parseDuration(timeoutText) else { throw UsageError("invalid --timeout \"\(timeoutText)\": expected e.g. 120s") }
        let delayText = parsed.value("ready-delay") ?? "1s"
        guard let readyDelay = RunCommand.parseDuration(delayText) else { throw UsageError("invalid --ready-delay \"\(delayText)\": expected e.g. 1s") }
        let file = parsed.value("file") ?? "examples/platform.yaml"
        let platform: JSONValue
        do {
            platform = try YAML.parse(String(contentsOfFile: file, encoding: .utf8))
        } catch {
            Console.error("cannot read \(file): \(error) (run from the repository root, or pass --file)")
            return 1
        }

        var options = SandboxOptions()
        options.port = port
        options.readyDelay = readyDelay
        let sandbox = SandboxServer(options: options)
        try sandbox.start()
        defer { sandbox.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("incident-operator-dev-\(getpid())")
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try sandbox.writeKubeconfig(to: kubeconfig)
        say("sandbox: Kubernetes API at \(sandbox.baseURL.absoluteString)")

        let client = KubeClient(configuration: ClientConfiguration(server: sandbox.baseURL.absoluteString), logger: RunCommand.clientLogger(logger))
        let name = platform.name ?? "incidents"
        let namespace = platform.namespace ?? "default"
        do {
            _ = try await client.apply(.customResourceDefinitions, IncidentPlatformCRD.definition, fieldManager: "incident-operator", force: true)
            say("installed CRD \(IncidentPlatformCRD.name)")
            _ = try await client.apply(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
                                       fieldManager: "incident-operator-dev", force: true)
            _ = try await client.apply(.incidentPlatforms, platform, namespace: namespace, fieldManager: "incident-operator-dev", force: true)
            say("applied \(file): IncidentPlatform \(namespace)/\(name)")
        } catch {
            Console.error("setting up the sandbox failed: \(error)")
            return 1
        }

        var config = OperatorConfiguration(identity: "dev_\(getpid())", logger: logger)
        config.metricsBindAddress = "127.0.0.1:0"
        config.healthProbeBindAddress = "127.0.0.1:0"
        let op = PlatformOperator(client: client, configuration: config)
        let stop = SignalHandling.shutdownSignal()
        let running = Task { try await op.run(until: stop) }
        say("operator: running (metrics and probes on 127.0.0.1, ports chosen at start)")

        let ready = await watchProgress(client: client, name: name, namespace: namespace, timeout: parsed.flag("exit-when-ready") ? timeout : nil,
                                        stop: stop)
        if ready {
            say("")
            say("Try:")
            say("  export KUBECONFIG=\(kubeconfig.path)")
            say("  kubectl get incidentplatforms -n \(namespace)")
            say("  kubectl get deployments,daemonsets,services,pvc -n \(namespace)")
            say("  kubectl describe incidentplatform \(name) -n \(namespace)")
            say("  kubectl get events -n \(namespace)")
            say("kubeconfig: \(kubeconfig.path)")
        }
        if parsed.flag("exit-when-ready") || !ready {
            stop.trigger(reason: ready ? "ready" : "timed out")
        } else {
            say("Press Ctrl-C to stop.")
            await stop.wait()
        }
        do { try await running.value } catch { Console.error("operator: \(error)") }
        say("stopped")
        return ready ? 0 : 1
    }

    /// Prints a line whenever the platform's phase or ready count changes, then the component table once it
    /// is Ready. Returns false on timeout (or when `stop` triggers first).
    static func watchProgress(client: KubeClient, name: String, namespace: String, timeout: Double?, stop: ShutdownSignal) async -> Bool {
        let started = Date()
        var last = ""
        while !stop.isTriggered {
            if let timeout, Date().timeIntervalSince(started) > timeout {
                Console.error("the platform did not become Ready within \(Int(timeout))s (last: \(last))")
                return false
            }
            if let object = try? await client.get(.incidentPlatforms, name: name, namespace: namespace), object["status"] != nil,
               let status = try? IncidentPlatformStatus(json: object["status"]) {
                let line = "phase \(status.phase.rawValue), ready \(status.ready)"
                if line != last {
                    say(String(format: "[%5.1fs] ", Date().timeIntervalSince(started)) + line)
                    last = line
                }
                if status.phase == .ready {
                    say("")
                    say(table(status))
                    return true
                }
            }
            guard await stop.sleep(for: .milliseconds(300)) else { return false }
        }
        return false
    }

    /// `COMPONENT  READY  DESIRED` rows, sorted by name.
    static func table(_ status: IncidentPlatformStatus) -> String {
        let names = status.components.keys.sorted()
        let width = max(9, names.map(\.count).max() ?? 0) + 2
        var lines = ["COMPONENT".padding(toLength: width, withPad: " ", startingAt: 0) + "READY  DESIRED"]
        for name in names {
            guard let c = status.components[name] else { continue }
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + "\(c.ready)".padding(toLength: 7, withPad: " ", startingAt: 0) + "\(c.desired)")
        }
        return lines.joined(separator: "\n")
    }

    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}
