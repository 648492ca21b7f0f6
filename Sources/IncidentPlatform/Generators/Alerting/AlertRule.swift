import KubeCore

/// One alerting rule of the generated rule file, with the labels and annotations every alert carries.
struct AlertRule: Sendable, Equatable {
    /// `critical` pages, `warning` opens a ticket, `info` only informs.
    enum Severity: String, Sendable {
        case critical, warning, info
    }

    /// The alert name, also the runbook's file name (`docs/runbooks/<name>.md`).
    let name: String
    /// The PromQL expression.
    let expr: String
    /// How long the expression must hold before the alert fires (`nil`: at once).
    let forDuration: String?
    let severity: Severity
    /// One line: what is wrong.
    let summary: String
    /// What is wrong and how bad, with `{{ $value }}`.
    let description: String
    /// Extra labels (the SLO alerts carry `sloth_*`).
    var extraLabels: [String: String] = [:]

    /// The rule as Prometheus reads it.
    func json(platform: String, namespace: String, runbookBaseURL: String) -> JSONValue {
        var labels: [String: JSONValue] = [
            "severity": .string(severity.rawValue), "namespace": .string(namespace), "platform": .string(platform),
        ]
        for (key, value) in extraLabels { labels[key] = .string(value) }
        var rule: JSONValue = [
            "alert": .string(name),
            "expr": .string(expr),
            "labels": .object(labels),
            "annotations": [
                "summary": .string(summary),
                "description": .string(description),
                "runbook_url": .string(runbookBaseURL + name + ".md"),
            ],
        ]
        if let forDuration { rule["for"] = .string(forDuration) }
        return rule
    }
}
