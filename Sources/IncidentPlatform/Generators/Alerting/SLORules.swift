import KubeCore

/// The recording rules and multi-window multi-burn-rate alerts of one SLO, named as sloth names them:
/// `slo:sli_error:ratio_rate<window>` for the eight windows, `slo:objective:ratio`, `slo:error_budget:ratio`,
/// `slo:period_burn_rate:ratio` and `slo:period_error_budget_remaining:ratio`, each with `sloth_service`,
/// `sloth_slo` and `sloth_id`. The alerts follow the SRE workbook (chapter 5, table 5-8).
struct SLORules: Sendable, Equatable {
    /// The page (critical) alert: 14.4× over 1h and 5m, or 6× over 6h and 30m.
    static let pageAlert = "IncidentPlatformSLOBurnRatePage"
    /// The ticket (warning) alert: 3× over 1d and 2h, or 1× over 3d and 6h.
    static let ticketAlert = "IncidentPlatformSLOBurnRateTicket"
    /// The windows of `slo:sli_error:ratio_rate<window>`; all but the last are computed from the raw counters.
    static let windows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]

    /// One burn-rate condition: the error ratio over both windows above `factor` × the error budget.
    struct BurnWindow: Sendable, Equatable {
        let factor: Double
        let long: String
        let short: String
    }

    /// The page conditions (2 % and 5 % of a 30-day budget spent in 1 h and 6 h).
    static let page = [BurnWindow(factor: 14.4, long: "1h", short: "5m"), BurnWindow(factor: 6, long: "6h", short: "30m")]
    /// The ticket conditions (10 % of the budget in 1 day and 3 days).
    static let ticket = [BurnWindow(factor: 3, long: "1d", short: "2h"), BurnWindow(factor: 1, long: "3d", short: "6h")]

    /// `availability` or `latency`.
    let slo: String
    /// The component name, e.g. `alert-ingestion` (the scrape job, and `sloth_service`).
    let service: String
    /// The objective in percent, e.g. 99.9.
    let objective: Double
    /// The PromQL error ratio over a window `$w` (written `[$w]`).
    let errorRatio: String

    /// `<service>-<slo>`.
    var id: String { "\(service)-\(slo)" }
    /// The objective as a ratio (`0.999`).
    var objectiveRatio: String { PromQLNumber.text(objective / 100) }
    /// The error budget as a ratio (`0.001`).
    var errorBudget: String { PromQLNumber.text((100 - objective) / 100) }

    /// The two SLOs of a service.
    static func objectives(_ service: PlatformService, _ spec: ServiceSLOSpec) -> [SLORules] {
        let job = #"job="\#(service.componentName)""#
        let le = PromQLNumber.bucketBound(spec.latency.thresholdSeconds)
        return [
            SLORules(slo: "availability", service: service.componentName, objective: spec.availability.objective,
                     errorRatio: "(sum(rate(http_requests_total{\(job),code=~\"5..\"}[$w])) or vector(0))\n  / sum(rate(http_requests_total{\(job)}[$w]))"),
            SLORules(slo: "latency", service: service.componentName, objective: spec.latency.objective,
                     errorRatio: "(sum(rate(http_request_duration_seconds_count{\(job)}[$w])) - sum(rate(http_request_duration_seconds_bucket{\(job),le=\"\(le)\"}[$w])))\n  / sum(rate(http_request_duration_seconds_count{\(job)}[$w]))"),
        ]
    }

    /// `sloth_id="…", sloth_service="…", sloth_slo="…"`.
    var selector: String { #"sloth_id="\#(id)", sloth_service="\#(service)", sloth_slo="\#(slo)""# }

    var labels: [String: JSONValue] {
        ["sloth_id": .string(id), "sloth_service": .string(service), "sloth_slo": .string(slo)]
    }

    /// Three groups as sloth writes them: SLI recordings, meta recordings, alerts.
    func groups(_ alerts: ([AlertRule]) -> JSONValue) -> [JSONValue] {
        var sli: [JSONValue] = []
        for window in Self.windows.dropLast() {
            var l = labels
            l["sloth_window"] = .string(window)
            sli.append(["record": .string("slo:sli_error:ratio_rate\(window)"),
                        "expr": .string(errorRatio.replacingOccurrences(of: "$w", with: window)), "labels": .object(l)])
        }
        var l30 = labels
        l30["sloth_window"] = "30d"
        sli.append(["record": "slo:sli_error:ratio_rate30d",
                    "expr": .string("sum_over_time(slo:sli_error:ratio_rate5m{\(selector)}[30d])\n  / ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{\(selector)}[30d])"),
                    "labels": .object(l30)])
        let meta: [JSONValue] = [
            ["record": "slo:objective:ratio", "expr": .string("vector(\(objectiveRatio))"), "labels": .object(labels)],
            ["record": "slo:error_budget:ratio", "expr": .string("vector(1 - \(objectiveRatio))"), "labels": .object(labels)],
            ["record": "slo:period_burn_rate:ratio",
             "expr": .string("slo:sli_error:ratio_rate30d{\(selector)}\n  / on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{\(selector)}"),
             "labels": .object(labels)],
            ["record": "slo:period_error_budget_remaining:ratio",
             "expr": .string("1 - slo:period_burn_rate:ratio{\(selector)}"), "labels": .object(labels)],
        ]
        return [
            ["name": .string("sloth-slo-sli-recordings-\(id)"), "rules": .array(sli)],
            ["name": .string("sloth-slo-meta-recordings-\(id)"), "rules": .array(meta)],
            ["name": .string("sloth-slo-alerts-\(id)"), "rules": alerts(burnAlerts)],
        ]
    }

    /// `(short and long) or (short and long)` over the recorded ratios, as sloth writes it.
    func burnExpression(_ conditions: [BurnWindow]) -> String {
        conditions.map { c in
            let threshold = "(\(PromQLNumber.text(c.factor)) * \(errorBudget))"
            return "(\n  max(slo:sli_error:ratio_rate\(c.short){\(selector)} > \(threshold)) without (sloth_window)\n  and\n  max(slo:sli_error:ratio_rate\(c.long){\(selector)} > \(threshold)) without (sloth_window)\n)"
        }.joined(separator: "\nor\n")
    }

    var burnAlerts: [AlertRule] {
        let what = slo == "availability" ? "5xx answers" : "requests slower than the latency threshold"
        func alert(_ name: String, _ conditions: [BurnWindow], _ severity: AlertRule.Severity, _ kind: String) -> AlertRule {
            let pairs = conditions.map { "\(PromQLNumber.text($0.factor))× over \($0.long) and \($0.short)" }.joined(separator: " or ")
            var rule = AlertRule(
                name: name, expr: burnExpression(conditions), forDuration: nil, severity: severity,
                summary: "{{ $labels.sloth_service }} is burning its \(slo) error budget \(kind)",
                description: "{{ $labels.sloth_service }}'s share of \(what) is {{ $value | humanizePercentage }} over the short window: the error budget (\(errorBudget), objective \(objectiveRatio) over 30 days) burns at more than \(pairs).")
            rule.extraLabels = ["sloth_id": id, "sloth_service": service, "sloth_slo": slo,
                                "sloth_severity": severity == .critical ? "page" : "ticket"]
            return rule
        }
        return [alert(Self.pageAlert, Self.page, .critical, "fast"), alert(Self.ticketAlert, Self.ticket, .warning, "steadily")]
    }
}
