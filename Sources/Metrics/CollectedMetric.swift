/// A value a collector reads when the registry is scraped, e.g. `process_open_fds`; series of one name
/// must be returned together.
public struct CollectedMetric: Sendable, Hashable {
    /// The metric name.
    public var name: String
    /// The help text.
    public var help: String
    /// The type of the family.
    public var type: MetricType
    /// The value.
    public var value: Double
    /// The labels of the series (written sorted by name).
    public var labels: [String: String]
    /// The family the sample belongs to, named in the `# HELP` and `# TYPE` lines: the name itself, except for a
    /// histogram's samples (`x_bucket`, `x_sum` and `x_count` belong to the family `x`).
    public var family: String

    /// A collected value; `family` defaults to `name`.
    public init(name: String, help: String, type: MetricType, value: Double, labels: [String: String] = [:],
                family: String? = nil) {
        self.family = family ?? name
        self.name = name
        self.help = help
        self.type = type
        self.value = value
        self.labels = labels
    }
}
