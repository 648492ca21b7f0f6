import KubeCore

/// The schema of `IncidentPlatform`: the one source of truth for the CRD, the Swift defaults and type checks,
/// and `docs/cr-reference.md`. Every default comes from ``PlatformDefaults``.
enum IncidentPlatformSchema {
    /// The largest `maxReplicas` (and `replicas`) accepted: a typo guard, not a capacity limit.
    static let maxReplicasCap = 50

    /// `spec`.
    static let spec = SchemaNode(.object([
        SchemaProperty("services", services),
        SchemaProperty("database", database),
        SchemaProperty("monitoring", monitoring),
        SchemaProperty("disruptionBudget", SchemaNode(.object([
            SchemaProperty("maxUnavailable", SchemaNode(.intOrPercent,
                "Pods of each service that may be unavailable during voluntary disruptions (node drains): a count of at least 1 or a percentage like \"25%\". A PodDisruptionBudget with maxUnavailable 0 would block drains forever, so it is not accepted.",
                default: PlatformDefaults.maxUnavailable.json).bounded(1, nil).matching(SchemaPatterns.percent, "must be a percentage from 1% to 100%")),
        ]), "The PodDisruptionBudget generated for each application service.", default: [:])),
        SchemaProperty("networkPolicy", SchemaNode(.object([
            SchemaProperty("enabled", SchemaNode(.boolean,
                "Generate a default-deny ingress NetworkPolicy for the platform's pods and allow exactly the flows the platform uses.",
                default: .bool(PlatformDefaults.networkPolicyEnabled))),
        ]), "NetworkPolicies isolating the platform.", default: [:])),
        SchemaProperty("apiTokenSecretRef", secretRef(
            "An existing Secret with the key `token`: the API token the four services share (environment variable `PLATFORM_API_TOKEN`). When absent the operator generates `<platform>-api-token` once and never overwrites it.")),
        SchemaProperty("alerting", alerting),
        SchemaProperty("slo", slo),
    ]), "The desired platform. Every field is optional: defaults fill in whatever is left out.", default: [:])

    // MARK: Services

    static var services: SchemaNode {
        SchemaNode(.object(PlatformService.allCases.map { SchemaProperty($0.specKey, service($0)) }),
                   "The four application services. Each block is optional; defaults fill it.", default: [:])
    }

    static func service(_ service: PlatformService) -> SchemaNode {
        let purpose: String = switch service {
        case .alertIngestion: "receives alerts from monitoring systems and opens incidents"
        case .incidentManagement: "the incident lifecycle API"
        case .oncallService: "on-call schedules and escalations"
        case .webUI: "the web front end"
        }
        return SchemaNode(.object([
            SchemaProperty("image", image(for: service.component)),
            SchemaProperty("port", SchemaNode(.integer,
                "The container port the service listens on (named `http`); the Service exposes the same port.",
                default: .int(PlatformDefaults.port(for: service))).bounded(1, 65535)),
            SchemaProperty("readinessPath", SchemaNode(.string,
                "The HTTP path of the readiness probe on the `http` port (the liveness and startup probes use `/health`). The default image serves `/ready`; set `/health` for an image that does not.",
                default: .string(PlatformDefaults.readinessPath))
                .matching(SchemaPatterns.httpPath, SchemaPatterns.httpPathMessage, maxLength: 256)),
            SchemaProperty("replicas", SchemaNode(.integer,
                "The replica count when autoscaling is disabled. Ignored while autoscaling is enabled: the HorizontalPodAutoscaler owns the count.",
                default: .int(PlatformDefaults.replicas)).bounded(0, maxReplicasCap)),
            SchemaProperty("resources", resources(for: service.component)),
            SchemaProperty("env", SchemaNode(.array(SchemaNode(.object([
                SchemaProperty("name", SchemaNode(.string, "The variable name.")
                    .matching(SchemaPatterns.envName, SchemaPatterns.envNameMessage)),
                SchemaProperty("value", SchemaNode(.string, "The variable value.", default: "")),
            ]), "An environment variable with a literal value.").requiring(["name"])),
                "Extra environment variables for the container, added after the ones the operator wires in (database, service URLs). Names must be unique.")
                .keyed(by: ["name"])),
            SchemaProperty("autoscaling", autoscaling),
        ]), "The \(service.componentName) service: \(purpose).", default: [:])
    }

    static var autoscaling: SchemaNode {
        SchemaNode(.object([
            SchemaProperty("enabled", SchemaNode(.boolean,
                "Scale the service with a HorizontalPodAutoscaler (autoscaling/v2). When enabled the Deployment does not set replicas.",
                default: .bool(PlatformDefaults.autoscalingEnabled))),
            SchemaProperty("minReplicas", SchemaNode(.integer, "The lowest replica count the autoscaler may set.",
                default: .int(PlatformDefaults.minReplicas)).bounded(1, maxReplicasCap)),
            SchemaProperty("maxReplicas", SchemaNode(.integer, "The highest replica count the autoscaler may set; at least minReplicas.",
                default: .int(PlatformDefaults.maxReplicas)).bounded(1, maxReplicasCap)),
            SchemaProperty("targetCPUUtilizationPercentage", SchemaNode(.integer,
                "Target average CPU use, in percent of the CPU request.",
                default: .int(PlatformDefaults.targetCPUUtilizationPercentage)).bounded(1, 100)),
            SchemaProperty("targetMemoryUtilizationPercentage", SchemaNode(.integer,
                "Target average memory use, in percent of the memory request.",
                default: .int(PlatformDefaults.targetMemoryUtilizationPercentage)).bounded(1, 100)),
        ]), "Horizontal autoscaling on CPU and memory utilization.", default: [:])
            .validated(by: [CELRule("self.minReplicas <= self.maxReplicas", "minReplicas must be <= maxReplicas")])
    }

    // MARK: Database

    static var database: SchemaNode {
        SchemaNode(.object([
            SchemaProperty("image", image(for: .postgres)),
            SchemaProperty("databaseName", SchemaNode(.string, "The database created for the services.",
                default: .string(PlatformDefaults.databaseName))
                .matching(SchemaPatterns.databaseName, SchemaPatterns.databaseNameMessage, maxLength: 63)),
            SchemaProperty("storage", storage(
                size: PlatformDefaults.databaseStorageSize, what: "PostgreSQL data volume",
                extra: [SchemaProperty("deletionPolicy", SchemaNode(.string,
                    "What happens to the volume when the platform is deleted. Retain: the PersistentVolumeClaim has no owner reference and survives (the data is never deleted with the platform). Delete: it is deleted with the platform.",
                    default: .string(PlatformDefaults.databaseDeletionPolicy.rawValue)).oneOf(DeletionPolicy.allCases.map(\.rawValue)))])),
            SchemaProperty("credentialsSecretRef", secretRef(
                "An existing Secret with the keys `username` and `password`. When absent the operator generates one.")),
            SchemaProperty("resources", resources(for: .postgres)),
        ]), "The PostgreSQL database (one replica, Recreate strategy, on a ReadWriteOnce volume).", default: [:])
    }

    // MARK: Monitoring

    static var monitoring: SchemaNode {
        SchemaNode(.object([
            SchemaProperty("prometheus", SchemaNode(.object([
                enabled("Prometheus"),
                SchemaProperty("image", image(for: .prometheus)),
                SchemaProperty("scrapeInterval", SchemaNode(.duration(example: "15s"),
                    "How often Prometheus scrapes every target, as a Prometheus duration (`15s`, `1m`).",
                    default: .string(PlatformDefaults.scrapeInterval))
                    .matching(SchemaPatterns.duration, "must be a Prometheus duration like 15s or 1m30s")),
                SchemaProperty("retention", SchemaNode(.duration(example: "15d"),
                    "How long samples are kept (`--storage.tsdb.retention.time`), as a Prometheus duration (`15d`, `2w`).",
                    default: .string(PlatformDefaults.retention))
                    .matching(SchemaPatterns.duration, "must be a Prometheus duration like 15d or 2w")),
                SchemaProperty("storage", storage(size: PlatformDefaults.prometheusStorageSize, what: "Prometheus data volume")),
                SchemaProperty("resources", resources(for: .prometheus)),
            ]), "Prometheus, scraping the services' /metrics, node-exporter and itself.", default: [:])),
            SchemaProperty("grafana", SchemaNode(.object([
                enabled("Grafana"),
                SchemaProperty("image", image(for: .grafana)),
                SchemaProperty("storage", storage(size: PlatformDefaults.grafanaStorageSize, what: "Grafana data volume")),
                SchemaProperty("adminSecretRef", secretRef(
                    "An existing Secret with the keys `admin-user` and `admin-password`. When absent the operator generates one.")),
                SchemaProperty("resources", resources(for: .grafana)),
            ]), "Grafana, provisioned with the Prometheus and Loki datasources and the platform dashboards.", default: [:])),
            SchemaProperty("loki", SchemaNode(.object([
                enabled("Loki"),
                SchemaProperty("image", image(for: .loki)),
                SchemaProperty("storage", storage(size: PlatformDefaults.lokiStorageSize, what: "Loki data volume")),
                SchemaProperty("resources", resources(for: .loki)),
            ]), "Loki (single binary), storing the logs promtail ships.", default: [:])),
            SchemaProperty("promtail", SchemaNode(.object([
                enabled("the promtail DaemonSet (requires loki.enabled)"),
                SchemaProperty("image", image(for: .promtail)),
                SchemaProperty("resources", resources(for: .promtail)),
            ]), "promtail, a DaemonSet shipping pod logs from every node to the platform's Loki.", default: [:])),
            SchemaProperty("nodeExporter", SchemaNode(.object([
                enabled("the node-exporter DaemonSet"),
                SchemaProperty("image", image(for: .nodeExporter)),
                SchemaProperty("resources", resources(for: .nodeExporter)),
            ]), "node-exporter, a DaemonSet exposing node CPU, memory and disk metrics on port 9100.", default: [:])),
        ]), "The observability stack: Prometheus, Grafana, Loki, promtail and node-exporter.", default: [:])
            .validated(by: [CELRule("!self.promtail.enabled || self.loki.enabled",
                                    "promtail.enabled requires loki.enabled (promtail ships logs to the platform's Loki)")])
    }

    // MARK: Alerting and SLOs

    static var alerting: SchemaNode {
        SchemaNode(.object([
            SchemaProperty("enabled", SchemaNode(.boolean,
                "Give Prometheus the generated alerting rules: platform and node alerts, SLO recording rules and multi-window multi-burn-rate alerts (docs/alerting.md). Requires monitoring.prometheus.enabled to have any effect.",
                default: .bool(PlatformDefaults.alertingEnabled))),
            SchemaProperty("runbookBaseURL", SchemaNode(.string,
                "The base of every alert's `runbook_url` annotation: the alert name and `.md` are appended. An http(s) URL ending in `/`; the default is this project's published runbooks.",
                default: .string(PlatformDefaults.runbookBaseURL))
                .matching(SchemaPatterns.baseURL, SchemaPatterns.baseURLMessage, maxLength: 2048)),
            SchemaProperty("alertmanager", SchemaNode(.object([
                SchemaProperty("image", image(for: .alertmanager)),
                SchemaProperty("replicas", SchemaNode(.integer,
                    "Alertmanager pods. More than one form a gossip cluster (silences and the notification log are shared) through the headless Service `<platform>-alertmanager-cluster` on port 9094.",
                    default: .int(PlatformDefaults.alertmanagerReplicas)).bounded(1, 5)),
                SchemaProperty("resources", resources(for: .alertmanager)),
            ]), "The Alertmanager (runs when alerting and monitoring.prometheus are enabled). Its default route sends every alert to the platform's own alert-ingestion, authenticated with the API token; Watchdog goes to a null receiver.", default: [:])),
            SchemaProperty("receivers", SchemaNode(.array(receiver),
                "Extra Alertmanager receivers. Each gets a route with its matchers and `continue: true`, so the platform's own receiver still gets every alert. Names must be unique.")
                .keyed(by: ["name"])),
        ]), "Alerting rules generated into the Prometheus configuration (`rule_files`), and the Alertmanager that routes them (docs/alerting.md).", default: [:])
    }

    static var receiver: SchemaNode {
        SchemaNode(.object([
            SchemaProperty("name", SchemaNode(.string,
                "The receiver name; `incident-platform` and `null` are taken by the platform's own receivers.")
                .matching(SchemaPatterns.receiverName, SchemaPatterns.receiverNameMessage, maxLength: 63)),
            SchemaProperty("matchers", SchemaNode(.array(SchemaNode(.string, "An Alertmanager matcher.")
                .matching(SchemaPatterns.matcher, SchemaPatterns.matcherMessage, maxLength: 1024)),
                "Alertmanager matchers, all of which must match, like `severity=\"critical\"`; none matches every alert (except Watchdog).")),
            SchemaProperty("slack", SchemaNode(.object([
                SchemaProperty("channel", SchemaNode(.string, "The channel, like `#incidents`.").matching(#"^\S+$"#, "must be a channel name without spaces", maxLength: 256)),
                SchemaProperty("apiURLSecretRef", secretKeyRef("The Secret key holding the Slack webhook URL (`api_url_file`).")),
            ]), "Slack, through an incoming webhook.").requiring(["channel", "apiURLSecretRef"])),
            SchemaProperty("email", SchemaNode(.object([
                SchemaProperty("to", SchemaNode(.string, "The recipient address(es).").matching(#"^\S(.*\S)?$"#, "must not be empty or start or end with a space", maxLength: 1024)),
                SchemaProperty("from", SchemaNode(.string, "The sender address.").matching(#"^\S(.*\S)?$"#, "must not be empty or start or end with a space", maxLength: 256)),
                SchemaProperty("smarthost", SchemaNode(.string, "The SMTP server, `host:port`.")
                    .matching(SchemaPatterns.smarthost, SchemaPatterns.smarthostMessage, maxLength: 260)),
                SchemaProperty("authUsername", SchemaNode(.string, "The SMTP user name, if the server needs a login.").matching(#"^\S+$"#, "must not contain spaces", maxLength: 256)),
                SchemaProperty("authPasswordSecretRef", secretKeyRef("The Secret key holding the SMTP password (`auth_password_file`).")),
            ]), "E-mail through an SMTP smarthost (STARTTLS required, Alertmanager's default).").requiring(["to", "from", "smarthost"])),
            SchemaProperty("webhook", SchemaNode(.object([
                SchemaProperty("url", SchemaNode(.string, "The URL Alertmanager posts its webhook payload (version 4) to.")
                    .matching(SchemaPatterns.url, SchemaPatterns.urlMessage, maxLength: 2048)),
            ]), "A generic webhook.").requiring(["url"])),
            SchemaProperty("pagerduty", SchemaNode(.object([
                SchemaProperty("routingKeySecretRef", secretKeyRef("The Secret key holding the PagerDuty Events API v2 routing key (`routing_key_file`).")),
            ]), "PagerDuty (Events API v2).").requiring(["routingKeySecretRef"])),
        ]), "An extra receiver: a name, matchers and exactly one of slack, email, webhook or pagerduty. Secrets are referenced, never inlined: the operator mounts each referenced key as a file.")
            .requiring(["name"])
    }

    /// A reference to one key of a Secret in the platform's namespace (`{name, key}`).
    static func secretKeyRef(_ description: String) -> SchemaNode {
        SchemaNode(.object([
            SchemaProperty("name", SchemaNode(.string, "The Secret name, in the platform's namespace.")
                .matching(SchemaPatterns.dnsSubdomain, SchemaPatterns.dnsSubdomainMessage, maxLength: 253)),
            SchemaProperty("key", SchemaNode(.string, "The key in the Secret.")
                .matching(SchemaPatterns.secretKey, SchemaPatterns.secretKeyMessage, maxLength: 253)),
        ]), description).requiring(["name", "key"])
    }

    static var slo: SchemaNode {
        SchemaNode(.object(PlatformService.allCases.map { service in
            SchemaProperty(service.specKey, SchemaNode(.object([
                SchemaProperty("availability", SchemaNode(.object([
                    SchemaProperty("objective", objective(
                        "Percent of requests that must not answer 5xx over 30 days (`99.9` leaves an error budget of 0.1 %).",
                        PlatformDefaults.availabilityObjective)),
                ]), "The availability objective: the share of requests served without a 5xx status.", default: [:])),
                SchemaProperty("latency", SchemaNode(.object([
                    SchemaProperty("objective", objective(
                        "Percent of requests that must finish within thresholdSeconds over 30 days.", PlatformDefaults.latencyObjective)),
                    SchemaProperty("thresholdSeconds", SchemaNode(.number(minimum: PlatformDefaults.latencyBuckets[0], maximum: PlatformDefaults.latencyBuckets.last ?? 10),
                        "The latency threshold in seconds; one of the bucket bounds of `http_request_duration_seconds`: \(PlatformDefaults.latencyBuckets.map(SchemaNode.number).joined(separator: ", ")).",
                        default: .double(PlatformDefaults.latencyThresholdSeconds))),
                ]), "The latency objective: the share of requests faster than a threshold.", default: [:])),
            ]), "The objectives of the \(service.componentName) service (window: \(PlatformDefaults.sloWindow)).", default: [:]))
        }), "Service level objectives per service, each over a fixed \(PlatformDefaults.sloWindow) window: recording rules named as sloth names them and multi-window multi-burn-rate alerts (docs/alerting.md).", default: [:])
    }

    static func objective(_ description: String, _ value: Double) -> SchemaNode {
        SchemaNode(.number(minimum: PlatformDefaults.minimumObjective, maximum: PlatformDefaults.maximumObjective), description, default: .double(value))
    }

    // MARK: Shared pieces

    static func enabled(_ what: String) -> SchemaProperty {
        SchemaProperty("enabled", SchemaNode(.boolean, "Run \(what).", default: .bool(PlatformDefaults.monitoringEnabled)))
    }

    /// A reference to a Secret in the platform's namespace (`{name}`), described by `description`.
    static func secretRef(_ description: String) -> SchemaNode {
        SchemaNode(.object([
            SchemaProperty("name", SchemaNode(.string, "The Secret name, in the platform's namespace.")
                .matching(SchemaPatterns.dnsSubdomain, SchemaPatterns.dnsSubdomainMessage, maxLength: 253)),
        ]), description).requiring(["name"])
    }

    static func image(for component: PlatformComponent) -> SchemaNode {
        let text = component.service == nil
            ? "The container image of \(component.componentName). Pin a tag or a digest."
            : "The container image of \(component.componentName). The default, shared by the four services, runs `incident-platform serve` (the service comes from `SERVICE_NAME`); the container gets no command or arguments, so an image of your own runs its own entrypoint. Pin a tag or a digest."
        return SchemaNode(.string, text, default: .string(PlatformDefaults.image(for: component)))
            .matching(SchemaPatterns.image, SchemaPatterns.imageMessage, maxLength: 255)
    }

    static func storage(size: String, what: String, extra: [SchemaProperty] = []) -> SchemaNode {
        SchemaNode(.object([
            SchemaProperty("size", SchemaNode(.quantity(example: "10Gi", allowsInteger: false),
                "The PersistentVolumeClaim size, a quantity string like `10Gi`. It may grow (if the StorageClass allows expansion) but never shrink.",
                default: .string(size)).matching(SchemaPatterns.quantity, #"must be a quantity like "10Gi""#, maxLength: 64)),
            SchemaProperty("storageClassName", SchemaNode(.string,
                "The StorageClass of the PersistentVolumeClaim; the cluster default when absent. Immutable once set.")
                .matching(SchemaPatterns.dnsSubdomain, SchemaPatterns.dnsSubdomainMessage, maxLength: 253)),
        ] + extra), "The \(what) (a ReadWriteOnce PersistentVolumeClaim).", default: [:])
            .validated(by: [
                CELRule("!has(oldSelf.storageClassName) || (has(self.storageClassName) && self.storageClassName == oldSelf.storageClassName)",
                        "storageClassName is immutable once set", reason: "FieldValueForbidden"),
                CELRule("quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
                        "size may grow but not shrink", reason: "FieldValueForbidden"),
            ])
    }

    static func resources(for component: PlatformComponent) -> SchemaNode {
        let d = PlatformDefaults.resources(for: component)
        func list(_ cpu: String, _ memory: String, _ what: String) -> SchemaNode {
            SchemaNode(.object([
                SchemaProperty("cpu", SchemaNode(.quantity(example: "500m", allowsInteger: true),
                    "CPU, in cores: `500m` is half a core, `1` or `\"2\"` whole cores.", default: .string(cpu))
                    .matching(SchemaPatterns.quantity, #"must be a quantity like "500m""#)),
                SchemaProperty("memory", SchemaNode(.quantity(example: "256Mi", allowsInteger: true),
                    "Memory, in bytes with an optional suffix: `256Mi`, `1Gi`.", default: .string(memory))
                    .matching(SchemaPatterns.quantity, #"must be a quantity like "256Mi""#)),
            ]), what, default: [:])
        }
        return SchemaNode(.object([
            SchemaProperty("requests", list(d.requests.cpu, d.requests.memory,
                "What the scheduler reserves; autoscaling utilization is measured against these.")),
            SchemaProperty("limits", list(d.limits.cpu, d.limits.memory, "The most the container may use; at least the requests.")),
        ]), "CPU and memory requests and limits of the \(component.componentName) container.", default: [:])
    }
}
