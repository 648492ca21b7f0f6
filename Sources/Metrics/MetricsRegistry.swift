import FoundationEssentials
import Locking

/// A set of metrics written in the Prometheus text exposition format 0.0.4 (what `/metrics` serves).
///
/// Registering a name twice with the same type returns the first family, so independent components
/// (several controllers, several queues) can share one family and differ by labels.
///
/// ```swift
/// let registry = MetricsRegistry()
/// ProcessMetrics.register(in: registry)
/// let depth = registry.gauge("workqueue_depth", help: "Current depth of workqueue", labels: ["name"])
/// depth.labels("platforms").set(3)
/// let body = registry.exposition()   // serve with MetricsRegistry.contentType
/// ```
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private enum Entry {
        case counter(MetricFamily<Counter>)
        case gauge(MetricFamily<Gauge>)
        case histogram(MetricFamily<Histogram>)
    }

    private let families = Locked<[String: Entry]>([:])
    private let collectors = Locked<[@Sendable () -> [CollectedMetric]]>([])

    /// An empty registry.
    public init() {}

    /// The counter family `name` (created on first call).
    public func counter(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Counter> {
        families.withLock { all in
            if case .counter(let f)? = all[name] { return f }
            precondition(all[name] == nil, "metric \(name) is already registered with another type")
            let f = MetricFamily<Counter>(name: name, help: help, type: .counter, labelNames: labels) { Counter() }
            all[name] = .counter(f)
            return f
        }
    }

    /// The gauge family `name` (created on first call).
    public func gauge(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Gauge> {
        families.withLock { all in
            if case .gauge(let f)? = all[name] { return f }
            precondition(all[name] == nil, "metric \(name) is already registered with another type")
            let f = MetricFamily<Gauge>(name: name, help: help, type: .gauge, labelNames: labels) { Gauge() }
            all[name] = .gauge(f)
            return f
        }
    }

    /// The histogram family `name` with `buckets` (upper bounds; sorted, `+Inf` added) (created on first call).
    public func histogram(
        _ name: String, help: String, labels: [String] = [], buckets: [Double] = Histogram.reconcileBuckets
    ) -> MetricFamily<Histogram> {
        let bounds = Array(Set(buckets.filter { $0.isFinite })).sorted()
        return families.withLock { all in
            if case .histogram(let f)? = all[name] { return f }
            precondition(all[name] == nil, "metric \(name) is already registered with another type")
            let f = MetricFamily<Histogram>(name: name, help: help, type: .histogram, labelNames: labels) {
                Histogram(upperBounds: bounds)
            }
            all[name] = .histogram(f)
            return f
        }
    }

    /// Adds a collector called on every ``exposition()`` (for values read on demand, like process metrics).
    public func addCollector(_ collect: @escaping @Sendable () -> [CollectedMetric]) {
        collectors.withLock { $0.append(collect) }
    }

    /// Every metric in the Prometheus text format 0.0.4, families sorted by name.
    public func exposition() -> String {
        var out = ""
        let entries = families.withLock { $0 }.sorted { $0.key < $1.key }
        for (_, entry) in entries {
            switch entry {
            case .counter(let f):
                Self.header(&out, f.name, f.help, .counter)
                for (labels, c) in f.allSeries {
                    Self.line(&out, f.name, Self.pairs(f.labelNames, labels), c.value)
                }
            case .gauge(let f):
                Self.header(&out, f.name, f.help, .gauge)
                for (labels, g) in f.allSeries {
                    Self.line(&out, f.name, Self.pairs(f.labelNames, labels), g.value)
                }
            case .histogram(let f):
                Self.header(&out, f.name, f.help, .histogram)
                for (labels, h) in f.allSeries {
                    let base = Self.pairs(f.labelNames, labels)
                    let snap = h.snapshot
                    for (bound, count) in zip(h.upperBounds, snap.cumulative) {
                        Self.line(&out, f.name + "_bucket", base + [("le", Self.format(bound))], Double(count))
                    }
                    Self.line(&out, f.name + "_bucket", base + [("le", "+Inf")], Double(snap.count))
                    Self.line(&out, f.name + "_sum", base, snap.sum)
                    Self.line(&out, f.name + "_count", base, Double(snap.count))
                }
            }
        }
        for collect in collectors.withLock({ $0 }) {
            var previous = ""
            for m in collect() {
                if m.family != previous { Self.header(&out, m.family, m.help, m.type) }
                previous = m.family
                Self.line(&out, m.name, m.labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, m.value)
            }
        }
        return out
    }

    // MARK: - Text format

    private static func pairs(_ names: [String], _ values: [String]) -> [(String, String)] {
        Array(zip(names, values))
    }

    private static func header(_ out: inout String, _ name: String, _ help: String, _ type: MetricType) {
        out += "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    private static func line(_ out: inout String, _ name: String, _ labels: [(String, String)], _ value: Double) {
        out += name
        if !labels.isEmpty {
            out += "{"
            out += labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",")
            out += "}"
        }
        out += " " + format(value) + "\n"
    }

    /// A sample value or bucket bound as Prometheus writes it: integers without a fraction,
    /// `+Inf`, `-Inf`, `NaN`.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Label values escape backslash, double quote and newline.
    static func escapeLabelValue(_ s: String) -> String {
        guard s.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return s }
        var r = ""
        for ch in s {
            switch ch {
            case "\\": r += "\\\\"
            case "\"": r += "\\\""
            case "\n": r += "\\n"
            default: r.append(ch)
            }
        }
        return r
    }

    /// Help text escapes backslash and newline.
    static func escapeHelp(_ s: String) -> String {
        s.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }
}

extension String {
    /// Every occurrence of `target` replaced, compared by UTF-8 bytes: "\n" is found inside "\r\n" too, as with
    /// Foundation's `replacingOccurrences(of:with:)` (the stdlib's `replacing(_:with:)` compares Characters, and
    /// "\r\n" is one). Unlike Foundation, an occurrence followed by a combining mark is replaced too.
    func replacingAll(_ target: String, with replacement: String) -> String {
        String(decoding: Array(utf8).replacing(Array(target.utf8), with: Array(replacement.utf8)), as: UTF8.self)
    }
}
