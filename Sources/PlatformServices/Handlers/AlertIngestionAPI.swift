import Hashing
import HTTPServer
import IncidentCore
import IncidentStore

/// alert-ingestion's API: Alertmanager's webhook and the PagerDuty Events API v2 shape. Each request is one
/// transaction; deduplication is the database's partial unique index, so replicas never race.
struct AlertIngestionAPI: Sendable {
    let repository: IncidentRepository
    let limiter: RateLimiter
    let metrics: ServiceMetrics

    var routes: [Route] {
        [
            Route("POST", "/api/v1/alerts/alertmanager") { request, _ throws(APIError) in try alertmanager(request) },
            Route("POST", "/api/v1/events") { request, _ throws(APIError) in try events(request) },
        ]
    }

    func alertmanager(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let webhook = try parse { () throws(ValidationError) in try AlertmanagerWebhook.parse(request.body) }
        let signals = webhook.signals
        try admit(signals.count, request)
        let outcomes = try database { try repository.ingest(signals) }
        metrics.alertsReceived(signals.count, source: "alertmanager")
        var opened = 0, repeated = 0, resolved = 0
        for outcome in outcomes {
            switch outcome {
            case .opened: opened += 1
            case .repeated: repeated += 1
            case .transitioned(_, .resolved): resolved += 1
            default: break
            }
        }
        return JSONBody.response(200, IngestSummary(alerts: signals.count, opened: opened, repeated: repeated, resolved: resolved))
    }

    func events(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let event = try parse { () throws(ValidationError) in try PagerDutyEvent.parse(request.body) }
        try admit(1, request)
        // PagerDuty generates a key for a trigger without one and returns it, so the sender can resolve later.
        let key = event.dedupKey ?? Hex.encode(SecureRandom.bytes(16))
        _ = try database { try repository.ingest([event.signal(dedupKey: key)]) }
        metrics.alertsReceived(1, source: "events")
        return JSONBody.response(202, ["status": "success", "message": "Event processed", "dedup_key": key])
    }

    /// Spends `count` units of the caller's rate limit, or answers 429 naming the limit.
    private func admit(_ count: Int, _ request: HTTPRequest) throws(APIError) {
        let key = Hex.encode(SHA256Digest.hash(request.header("Authorization") ?? ""))
        guard case .limited(let wait) = limiter.take(Double(count), for: key) else { return }
        let seconds = max(1, Int(wait.rounded(.up)))
        throw APIError(429, "rate_limited",
                       "rate limit exceeded: at most \(Self.number(limiter.rate)) alerts/s per token with bursts of "
                       + "\(Self.number(limiter.burst)) (INGEST_RATE_LIMIT, INGEST_RATE_BURST); this request carries "
                       + "\(count) alerts; retry after \(seconds) s",
                       headers: [("Retry-After", String(seconds))])
    }

    private static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}

/// The answer to an Alertmanager webhook: what its alerts did.
struct IngestSummary: Encodable {
    var status = "success"
    let alerts: Int
    let opened: Int
    let repeated: Int
    let resolved: Int
}
