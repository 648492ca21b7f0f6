/// `spec.alerting.alertmanager`: the Alertmanager that routes the platform's alerts.
public struct AlertmanagerSpec: Sendable, Equatable {
    /// The image.
    public var image: String
    /// Pods; more than one form a gossip cluster through the headless Service `<platform>-alertmanager-cluster`.
    public var replicas: Int
    /// Requests and limits.
    public var resources: ResourceRequirements

    /// Creates the block; every argument defaults to ``PlatformDefaults``.
    public init(image: String = PlatformDefaults.image(for: .alertmanager),
                replicas: Int = PlatformDefaults.alertmanagerReplicas,
                resources: ResourceRequirements = .defaults(for: .alertmanager)) {
        self.image = image
        self.replicas = replicas
        self.resources = resources
    }
}

/// A key of a Secret in the platform's namespace (`{name, key}`).
public struct SecretKeyReference: Sendable, Equatable, Hashable {
    /// The Secret name.
    public var name: String
    /// The key in the Secret.
    public var key: String

    /// Creates a reference.
    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}

/// `spec.alerting.receivers[]`: an extra Alertmanager receiver. The platform's own receiver still gets every alert.
public struct AlertReceiverSpec: Sendable, Equatable {
    /// The receiver name (unique; `incident-platform` and `null` are taken).
    public var name: String
    /// Alertmanager matchers such as `severity="critical"`; all must match. None matches every alert.
    public var matchers: [String]
    /// Where the receiver sends (exactly one).
    public var target: Target

    /// Creates a receiver.
    public init(name: String, matchers: [String] = [], target: Target) {
        self.name = name
        self.matchers = matchers
        self.target = target
    }

    /// The kind of receiver, with its settings. Secret values are only ever referenced, never inlined.
    public enum Target: Sendable, Equatable {
        /// Slack: a channel and the webhook URL from a Secret key (`api_url_file`).
        case slack(channel: String, apiURL: SecretKeyReference)
        /// E-mail through a smarthost; the optional password from a Secret key (`auth_password_file`).
        case email(to: String, from: String, smarthost: String, authUsername: String?, authPassword: SecretKeyReference?)
        /// A generic webhook (Alertmanager's webhook payload, version 4).
        case webhook(url: String)
        /// PagerDuty Events API v2; the routing key from a Secret key (`routing_key_file`).
        case pagerduty(routingKey: SecretKeyReference)

        /// The Secret keys this receiver reads.
        public var secretKeys: [SecretKeyReference] {
            switch self {
            case .slack(_, let apiURL): [apiURL]
            case .email(_, _, _, _, let password): password.map { [$0] } ?? []
            case .webhook: []
            case .pagerduty(let key): [key]
            }
        }
    }
}
