import KubeCore

/// The body of a delete call.
public struct DeleteOptions: Sendable, Equatable {
    /// What happens to dependents (objects whose ownerReferences point at the deleted one).
    public enum PropagationPolicy: String, Sendable {
        case foreground = "Foreground", background = "Background", orphan = "Orphan"
    }

    /// `propagationPolicy`; `nil` leaves the server's default for the kind.
    public var propagationPolicy: PropagationPolicy?
    /// `gracePeriodSeconds`.
    public var gracePeriodSeconds: Int?
    /// `preconditions.uid`: delete only this incarnation.
    public var preconditionUID: String?
    /// `preconditions.resourceVersion`: delete only this version.
    public var preconditionResourceVersion: String?
    /// `dryRun: [All]`.
    public var dryRun: Bool

    public init(propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil,
                preconditionUID: String? = nil, preconditionResourceVersion: String? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }

    /// The `DeleteOptions` object, with only the fields that are set.
    var json: JSONValue {
        var o: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { o["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { o["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
        if let preconditionUID { o["preconditions", "uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { o["preconditions", "resourceVersion"] = .string(preconditionResourceVersion) }
        if dryRun { o["dryRun"] = ["All"] }
        return o
    }
}
