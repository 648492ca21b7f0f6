/// A value a collector reads when the registry is scraped (no labels), e.g. `process_open_fds`.
public struct CollectedMetric: Sendable, Hashable {
    /// The metric name.
    public var name: String
    /// The help text.
    public var help: String
    /// The type (`counter` or `gauge`).
    public var type: MetricType
    /// The value.
    public var value: Double

    /// A collected value.
    public init(name: String, help: String, type: MetricType, value: Double) {
        self.name = name
        self.help = help
        self.type = type
        self.value = value
    }
}
