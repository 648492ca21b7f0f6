import Foundation
import Testing
@testable import KubeRuntime
@testable import Metrics

@Suite("Metrics registry and Prometheus text format")
struct MetricsRegistryTests {
    @Test func countersAndGaugesAreWrittenExactly() {
        let r = MetricsRegistry()
        let c = r.counter("jobs_total", help: "Jobs run.", labels: ["result"])
        c.labels("success").increment()
        c.labels("success").increment(by: 2)
        c.labels("error").increment()
        c.labels("error").increment(by: -5)    // ignored: counters only go up
        r.gauge("temperature", help: "Degrees.").labels().set(21.5)
        #expect(r.exposition() == """
            # HELP jobs_total Jobs run.
            # TYPE jobs_total counter
            jobs_total{result="error"} 1
            jobs_total{result="success"} 3
            # HELP temperature Degrees.
            # TYPE temperature gauge
            temperature 21.5

            """)
    }

    @Test func histogramsWriteCumulativeBucketsSumAndCount() {
        let r = MetricsRegistry()
        let h = r.histogram("latency_seconds", help: "Latency.", labels: ["op"], buckets: [0.1, 1, 0.5]).labels("get")
        h.observe(0.0625)
        h.observe(0.25)
        h.observe(0.25)
        h.observe(7)
        #expect(r.exposition() == """
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{op="get",le="0.1"} 1
            latency_seconds_bucket{op="get",le="0.5"} 3
            latency_seconds_bucket{op="get",le="1"} 3
            latency_seconds_bucket{op="get",le="+Inf"} 4
            latency_seconds_sum{op="get"} 7.5625
            latency_seconds_count{op="get"} 4

            """)
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let r = MetricsRegistry()
        r.counter("x_total", help: "a \\ b\nc", labels: ["path"]).labels("C:\\dir \"q\"\nnext").increment()
        #expect(r.exposition() == """
            # HELP x_total a \\\\ b\\nc
            # TYPE x_total counter
            x_total{path="C:\\\\dir \\"q\\"\\nnext"} 1

            """)
    }

    @Test func registeringANameTwiceReturnsTheSameFamily() {
        let r = MetricsRegistry()
        let a = r.counter("adds_total", help: "Adds.", labels: ["name"])
        let b = r.counter("adds_total", help: "Adds.", labels: ["name"])
        a.labels("q").increment()
        #expect(b.labels("q").value == 1)
        #expect(a === b)
    }

    @Test func specialValuesAreFormattedLikePrometheus() {
        #expect(MetricsRegistry.format(.infinity) == "+Inf")
        #expect(MetricsRegistry.format(-.infinity) == "-Inf")
        #expect(MetricsRegistry.format(.nan) == "NaN")
        #expect(MetricsRegistry.format(1e-8) == "1e-08")
        #expect(MetricsRegistry.format(1000) == "1000")
    }

    @Test func controllerAndQueueMetricsUseControllerRuntimeNames() throws {
        let r = MetricsRegistry()
        let m = ControllerMetrics(registry: r, controller: "incidentplatform")
        m.setMaxConcurrent(4)
        m.reconciled(.success, seconds: 0.02)
        m.reconciled(.error, seconds: 0.5, terminal: true)
        let q = PrometheusWorkQueueMetrics(registry: r, name: "incidentplatform")
        q.added()
        q.retried()
        q.depthChanged(to: 2)
        q.queued(seconds: 0.001)
        q.worked(seconds: 0.02)
        let samples = try PrometheusText.parse(r.exposition())
        #expect(samples["controller_runtime_reconcile_total{controller=\"incidentplatform\",result=\"success\"}"] == 1)
        #expect(samples["controller_runtime_reconcile_total{controller=\"incidentplatform\",result=\"error\"}"] == 1)
        #expect(samples["controller_runtime_reconcile_total{controller=\"incidentplatform\",result=\"requeue_after\"}"] == 0)
        #expect(samples["controller_runtime_reconcile_errors_total{controller=\"incidentplatform\"}"] == 1)
        #expect(samples["controller_runtime_terminal_reconcile_errors_total{controller=\"incidentplatform\"}"] == 1)
        #expect(samples["controller_runtime_reconcile_time_seconds_count{controller=\"incidentplatform\"}"] == 2)
        #expect(samples["controller_runtime_reconcile_time_seconds_bucket{controller=\"incidentplatform\",le=\"0.025\"}"] == 1)
        #expect(samples["controller_runtime_max_concurrent_reconciles{controller=\"incidentplatform\"}"] == 4)
        #expect(samples["controller_runtime_active_workers{controller=\"incidentplatform\"}"] == 0)
        #expect(samples["workqueue_depth{name=\"incidentplatform\"}"] == 2)
        #expect(samples["workqueue_adds_total{name=\"incidentplatform\"}"] == 1)
        #expect(samples["workqueue_retries_total{name=\"incidentplatform\"}"] == 1)
        #expect(samples["workqueue_queue_duration_seconds_bucket{name=\"incidentplatform\",le=\"0.001\"}"] == 1)
        #expect(samples["workqueue_work_duration_seconds_count{name=\"incidentplatform\"}"] == 1)
    }

    @Test func processMetricsAreReadFromProc() throws {
        let r = MetricsRegistry()
        ProcessMetrics.register(in: r)
        let samples = try PrometheusText.parse(r.exposition())
        #if os(Linux)
        #expect((samples["process_resident_memory_bytes"] ?? 0) > 0)
        #expect((samples["process_open_fds"] ?? 0) >= 3)
        #expect((samples["process_cpu_seconds_total"] ?? -1) >= 0)
        #expect((samples["process_start_time_seconds"] ?? 0) > 1_600_000_000)
        #expect((samples["process_start_time_seconds"] ?? .infinity) <= Date().timeIntervalSince1970 + 1)
        #endif
    }

    @Test func statParserHandlesSpacesInTheCommandName() throws {
        let line = "42 (my prog) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0 1000 123456 789 18446744073709551615"
        let s = try #require(ProcessMetrics.parseStat(line))
        #expect(s.utime == 150)
        #expect(s.stime == 50)
        #expect(s.startTicks == 1000)
        #expect(s.vsize == 123456)
        #expect(s.rssPages == 789)
        #expect(ProcessMetrics.parseStat("garbage") == nil)
        #expect(ProcessMetrics.bootTime("cpu 1 2\nbtime 1700000000\n") == 1_700_000_000)
    }
}

/// A strict parser of the Prometheus text format for tests: every line is a comment (`# HELP`/`# TYPE`
/// naming a metric) or `name{labels} value`; returns the samples keyed by `name{labels}`.
enum PrometheusText {
    struct FormatError: Error, CustomStringConvertible {
        var line: String
        var description: String { "not a Prometheus text line: \(line)" }
    }

    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { continue }
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram"].contains(parts[3]) else { throw FormatError(line: String(line)) }
                guard typed.insert(String(parts[2])).inserted else { throw FormatError(line: "duplicate TYPE: \(line)") }
                continue
            }
            guard let space = line.lastIndex(of: " ") else { throw FormatError(line: String(line)) }
            let series = String(line[..<space])
            let raw = line[line.index(after: space)...]
            let value: Double? = raw == "+Inf" ? .infinity : raw == "-Inf" ? -.infinity : Double(raw)
            guard let value, series.first?.isLetter == true else { throw FormatError(line: String(line)) }
            let name = series.prefix { $0 != "{" }
            let family = ["_bucket", "_sum", "_count"].reduce(String(name)) { n, s in
                n.hasSuffix(s) && !typed.contains(n) ? String(n.dropLast(s.count)) : n
            }
            guard typed.contains(family) else { throw FormatError(line: "sample before its TYPE: \(line)") }
            samples[series] = value
        }
        return samples
    }
}
