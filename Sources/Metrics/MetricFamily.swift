import Locking
/// A named metric with label names and one series per distinct set of label values.
///
/// ```swift
/// let total = registry.counter("jobs_total", help: "Jobs run.", labels: ["result"])
/// total.labels("success").increment()
/// ```
/// Keep the series handle (`labels(...)`) when it is used on a hot path: lookups take a lock.
public final class MetricFamily<Series: AnyObject & Sendable>: Sendable {
    /// The metric name.
    public let name: String
    /// The help text.
    public let help: String
    /// The type written in the `# TYPE` line.
    public let type: MetricType
    /// The label names, in order.
    public let labelNames: [String]
    private let make: @Sendable () -> Series
    private let series = Locked<[[String]: Series]>([:])

    init(name: String, help: String, type: MetricType, labelNames: [String], make: @escaping @Sendable () -> Series) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.make = make
    }

    /// The series for these label values (one per label name, in order; missing values are empty,
    /// extra ones are ignored), created on first use.
    public func labels(_ values: String...) -> Series { labels(values) }

    /// The series for these label values.
    public func labels(_ values: [String]) -> Series {
        var key = Array(values.prefix(labelNames.count))
        while key.count < labelNames.count { key.append("") }
        return series.withLock { all in
            if let s = all[key] { return s }
            let s = make()
            all[key] = s
            return s
        }
    }

    /// Every series with its label values, sorted by label values.
    var allSeries: [(labels: [String], series: Series)] {
        series.withLock { all in
            all.map { (labels: $0.key, series: $0.value) }.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
        }
    }
}
