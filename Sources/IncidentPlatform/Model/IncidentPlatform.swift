/// An `IncidentPlatform` (`incidentops.io/v1alpha1`, namespaced): the metadata the operator needs and the
/// defaulted, validated spec. Obtain one from raw JSON with ``PlatformSpecLoader/load(_:defaultNamespace:)``.
public struct IncidentPlatform: Sendable, Equatable {
    /// `incidentops.io`.
    public static let group = "incidentops.io"
    /// `v1alpha1`.
    public static let version = "v1alpha1"
    /// `incidentops.io/v1alpha1`.
    public static let apiVersion = "\(group)/\(version)"
    /// `IncidentPlatform`.
    public static let kind = "IncidentPlatform"
    /// `incidentplatforms`.
    public static let plural = "incidentplatforms"
    /// The longest suffix a child object name may add to the platform name, dash included
    /// (`-incident-management` is 20; 24 leaves room for e.g. `-grafana-datasources`).
    public static let maxChildNameSuffixLength = 24
    /// The longest platform name: child names `<platform><suffix>` must stay within 63 characters (DNS label).
    public static let maxNameLength = 63 - maxChildNameSuffixLength

    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.uid` (set by the API server; `nil` for a file that was never applied).
    public var uid: String?
    /// `metadata.generation`.
    public var generation: Int?
    /// `metadata.labels`.
    public var labels: [String: String]
    /// The defaulted spec.
    public var spec: IncidentPlatformSpec

    /// Creates a platform.
    public init(name: String, namespace: String, uid: String? = nil, generation: Int? = nil, labels: [String: String] = [:],
                spec: IncidentPlatformSpec = IncidentPlatformSpec()) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.generation = generation
        self.labels = labels
        self.spec = spec
    }

    /// The name of a child object: `<platform>-<component>`.
    public func childName(_ component: PlatformComponent) -> String { "\(name)-\(component.componentName)" }
}
