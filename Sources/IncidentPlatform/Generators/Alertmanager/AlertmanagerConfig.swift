import KubeCore

/// The `alertmanager.yml` document. Every alert goes to the platform's own alert-ingestion (so it becomes an
/// incident); `Watchdog` goes to the `null` receiver; each extra receiver gets its matchers and `continue: true`.
/// Secrets are never inlined: the document names files (`credentials_file`, `api_url_file`, ...) that the
/// Deployment mounts from the Secrets.
///
/// Routing tree, in order:
/// 1. `alertname="Watchdog"` → `null` (stops: Watchdog reaches nothing else);
/// 2. each extra receiver, with its matchers, `continue: true`;
/// 3. everything → `incident-platform`.
enum AlertmanagerConfig {
    /// The platform's own receiver: alert-ingestion.
    static let platformReceiver = "incident-platform"
    /// The receiver that drops what it gets (Watchdog, until a heartbeat service exists).
    static let nullReceiver = "null"
    /// Receiver names extra receivers may not take.
    static let reservedReceivers: Set<String> = [platformReceiver, nullReceiver]
    /// Labels alerts are grouped by.
    static let groupBy = ["alertname", "namespace", "platform"]
    /// Wait before the first notification of a new group (collects the alerts firing together).
    static let groupWait = "30s"
    /// Wait before notifying about alerts added to a group already notified.
    static let groupInterval = "5m"
    /// Re-send a still-firing group this often.
    static let repeatInterval = "4h"

    /// Where the mounted Secret key `ref` is read from: `<secretsDirectory>/<secret>/<key>`.
    static func secretFile(_ ref: SecretKeyReference) -> String {
        "\(AlertmanagerGenerator.secretsDirectory)/\(ref.name)/\(ref.key)"
    }

    /// The whole configuration.
    ///
    /// - Parameters:
    ///   - ingestionURL: alert-ingestion's Alertmanager endpoint.
    ///   - tokenFile: the mounted API token.
    ///   - receivers: the extra receivers of the spec.
    static func document(ingestionURL: String, tokenFile: String, receivers: [AlertReceiverSpec]) -> JSONValue {
        var routes: [JSONValue] = [
            ["receiver": .string(nullReceiver), "matchers": [#"alertname="Watchdog""#]]
        ]
        for receiver in receivers {
            var route: JSONValue = ["receiver": .string(receiver.name), "continue": true]
            if !receiver.matchers.isEmpty { route["matchers"] = .array(receiver.matchers.map(JSONValue.string)) }
            routes.append(route)
        }
        routes.append(["receiver": .string(platformReceiver)])
        let platform: JSONValue = [
            "name": .string(platformReceiver),
            "webhook_configs": [[
                "url": .string(ingestionURL),
                "send_resolved": true,
                "http_config": ["authorization": ["type": "Bearer", "credentials_file": .string(tokenFile)]],
            ]],
        ]
        return [
            "global": ["resolve_timeout": "5m"],
            "route": [
                "receiver": .string(platformReceiver),
                "group_by": .array(groupBy.map(JSONValue.string)),
                "group_wait": .string(groupWait),
                "group_interval": .string(groupInterval),
                "repeat_interval": .string(repeatInterval),
                "routes": .array(routes),
            ],
            "inhibit_rules": [[
                "source_matchers": [#"severity="critical""#],
                "target_matchers": [#"severity="warning""#],
                "equal": ["alertname", "namespace"],
            ]],
            "receivers": .array([platform, ["name": .string(nullReceiver)]] + receivers.map(receiver)),
        ]
    }

    /// One extra receiver.
    static func receiver(_ r: AlertReceiverSpec) -> JSONValue {
        switch r.target {
        case .slack(let channel, let apiURL):
            return ["name": .string(r.name), "slack_configs": [[
                "channel": .string(channel), "api_url_file": .string(secretFile(apiURL)), "send_resolved": true,
            ]]]
        case .email(let to, let from, let smarthost, let username, let password):
            var config: JSONValue = ["to": .string(to), "from": .string(from), "smarthost": .string(smarthost), "send_resolved": true]
            if let username { config["auth_username"] = .string(username) }
            if let password { config["auth_password_file"] = .string(secretFile(password)) }
            return ["name": .string(r.name), "email_configs": [config]]
        case .webhook(let url):
            return ["name": .string(r.name), "webhook_configs": [["url": .string(url), "send_resolved": true]]]
        case .pagerduty(let key):
            return ["name": .string(r.name), "pagerduty_configs": [[
                "routing_key_file": .string(secretFile(key)), "send_resolved": true,
            ]]]
        }
    }
}
