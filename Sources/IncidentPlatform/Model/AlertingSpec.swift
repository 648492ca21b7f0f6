/// `spec.alerting`: the Prometheus alerting rules the operator generates, and the Alertmanager that routes them.
public struct AlertingSpec: Sendable, Equatable {
    /// Whether Prometheus gets the rule file (alerts, SLO recording rules and burn-rate alerts) and Alertmanager runs.
    public var enabled: Bool
    /// The URL every alert's `runbook_url` starts with; `<AlertName>.md` is appended. Ends in `/`.
    public var runbookBaseURL: String
    /// The Alertmanager.
    public var alertmanager: AlertmanagerSpec
    /// Extra receivers, besides the platform's own alert-ingestion.
    public var receivers: [AlertReceiverSpec]

    /// Creates the alerting block; every argument defaults to ``PlatformDefaults``.
    public init(enabled: Bool = PlatformDefaults.alertingEnabled, runbookBaseURL: String = PlatformDefaults.runbookBaseURL,
                alertmanager: AlertmanagerSpec = AlertmanagerSpec(), receivers: [AlertReceiverSpec] = []) {
        self.enabled = enabled
        self.runbookBaseURL = runbookBaseURL
        self.alertmanager = alertmanager
        self.receivers = receivers
    }
}

/// `spec.slo`: the service level objectives of the four services, over a fixed 30-day window.
public typealias SLOsSpec = PerService<ServiceSLOSpec>

extension PerService where Value == ServiceSLOSpec {
    /// Every service with the default objectives (``ServiceSLOSpec/init(availability:latency:)``).
    public init() { self.init { _ in ServiceSLOSpec() } }
}

/// `spec.slo.<service>`: an availability and a latency objective.
public struct ServiceSLOSpec: Sendable, Equatable {
    /// The share of requests that must not answer 5xx, in percent.
    public var availability: AvailabilityObjective
    /// The share of requests that must be faster than a threshold, in percent.
    public var latency: LatencyObjective

    /// Creates the objectives; defaults to ``PlatformDefaults``.
    public init(availability: AvailabilityObjective = AvailabilityObjective(), latency: LatencyObjective = LatencyObjective()) {
        self.availability = availability
        self.latency = latency
    }
}

/// `spec.slo.<service>.availability`.
public struct AvailabilityObjective: Sendable, Equatable {
    /// Percent of requests that must not answer 5xx over 30 days (50 to 99.999).
    public var objective: Double

    /// Creates the objective; defaults to ``PlatformDefaults/availabilityObjective``.
    public init(objective: Double = PlatformDefaults.availabilityObjective) { self.objective = objective }
}

/// `spec.slo.<service>.latency`.
public struct LatencyObjective: Sendable, Equatable {
    /// Percent of requests that must finish within ``thresholdSeconds`` over 30 days (50 to 99.999).
    public var objective: Double
    /// The latency threshold, one of the bounds of the services' `http_request_duration_seconds` buckets.
    public var thresholdSeconds: Double

    /// Creates the objective; defaults to ``PlatformDefaults``.
    public init(objective: Double = PlatformDefaults.latencyObjective, thresholdSeconds: Double = PlatformDefaults.latencyThresholdSeconds) {
        self.objective = objective
        self.thresholdSeconds = thresholdSeconds
    }
}
