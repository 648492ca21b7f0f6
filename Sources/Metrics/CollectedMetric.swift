/// A value a collector reads when the registry is scraped, e.g. `process_open_fds`; series of one name
/// must be returned together.
public struct CollectedMetric: Sendable, Hashable {
    /// The metric name.
    public var name: String
    /// The help text.
    public var help: String
    /// The type (`counter` or `gauge`).
    public var type: MetricType
    /// The value.
    public var value: Double
    /// The labels of the series (written sorted by name).
    public var labels: [String: String]

    /// A collected value.
    public init(name: String, help: String, type: MetricType, value: Double, labels: [String: String] = [:]) {
        self.name = name
        self.help = help
        self.type = type
        self.value = value
        self.labels = labels
    }
}
