/// Regular expressions shared by the CRD (`pattern`) and the Swift validation, with the message shown when a
/// value does not match. RE2 (the API server), Python `re` (the schema tests) and Swift `Regex` read them alike.
enum SchemaPatterns {
    /// A container image reference: `[registry[:port]/]path[:tag][@sha256:digest]`.
    static let image = #"^(((localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)(:[0-9]+)?|[A-Za-z0-9-]+:[0-9]+)/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$"#
    static let imageMessage = #"must be an image reference like "registry.example.com/team/app:1.2.3" or "app@sha256:<64 hex digits>" (lowercase repository, no spaces)"#

    /// A DNS-1123 subdomain (Secret and StorageClass names).
    static let dnsSubdomain = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#
    static let dnsSubdomainMessage = "must be a DNS subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"

    /// A DNS-1035 label (the platform name: it prefixes Service names).
    static let dnsLabel = #"^[a-z]([-a-z0-9]*[a-z0-9])?$"#
    static let dnsLabelMessage = "must be a DNS label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"

    /// An environment variable name.
    static let envName = #"^[-._a-zA-Z][-._a-zA-Z0-9]*$"#
    static let envNameMessage = "must be a valid environment variable name: letters, digits, '_', '-' and '.', not starting with a digit"

    /// A PostgreSQL identifier usable without quoting.
    static let databaseName = #"^[a-z_][a-z0-9_]*$"#
    static let databaseNameMessage = "must be a PostgreSQL identifier: lowercase letters, digits and '_', not starting with a digit"

    /// An absolute HTTP path (a probe's `httpGet.path`).
    static let httpPath = #"^/\S*$"#
    static let httpPathMessage = #"must be an HTTP path starting with "/", like "/ready" or "/health" (no spaces)"#

    /// An http(s) URL ending in `/` (a base that a file name is appended to).
    static let baseURL = #"^https?://[^\s/]+/(\S*/)?$"#
    static let baseURLMessage = #"must be an http(s) URL ending in "/", like "https://example.com/runbooks/""#

    /// An Alertmanager receiver name (also used in file and volume names).
    static let receiverName = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"#
    static let receiverNameMessage = "must be lowercase letters, digits and '-', starting and ending with a letter or digit"

    /// An Alertmanager matcher: a label name, `=`, `!=`, `=~` or `!~`, and a double-quoted or plain value.
    static let matcher = #"^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)("([^"\\]|\\.)*"|[A-Za-z0-9_.:/-]*)$"#
    static let matcherMessage = #"must be an Alertmanager matcher like severity="critical", namespace!="dev" or alertname=~"Kube.*" (label name, =, !=, =~ or !~, then a double-quoted value; no spaces)"#

    /// A key of a Secret.
    static let secretKey = #"^[-._a-zA-Z0-9]+$"#
    static let secretKeyMessage = "must be a Secret key: letters, digits, '-', '_' and '.'"

    /// An http(s) URL.
    static let url = #"^https?://[^\s/]+(/\S*)?$"#
    static let urlMessage = #"must be an http(s) URL like "https://hooks.example.com/alerts" (no spaces)"#

    /// An SMTP smarthost, `host:port`.
    static let smarthost = #"^[^\s:/]+:[0-9]{1,5}$"#
    static let smarthostMessage = #"must be host:port, like "smtp.example.com:587""#

    /// A percentage from 1% to 100%.
    static let percent = #"^([1-9][0-9]?|100)%$"#

    /// A Kubernetes quantity (as in the built-in `Quantity` schema).
    static let quantity = #"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"#

    /// A Prometheus duration.
    static let duration = #"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"#
}
