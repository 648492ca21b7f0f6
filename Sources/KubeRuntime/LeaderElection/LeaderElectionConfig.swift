/// Leader election settings; the defaults are controller-runtime's.
public struct LeaderElectionConfig: Sendable {
    /// The Lease name (the `name` label of `leader_election_master_status`).
    public var name: String
    /// This replica's identity (`holderIdentity`), unique per process: e.g. `hostname_uuid`.
    public var identity: String
    /// How long a lease is valid after its last renewal: others wait this long (15 s).
    public var leaseDuration: Duration = .seconds(15)
    /// The leader stops leading when it could not renew for this long (10 s).
    public var renewDeadline: Duration = .seconds(10)
    /// How often to try to acquire or renew (2 s).
    public var retryPeriod: Duration = .seconds(2)
    /// Release the lease on graceful shutdown so the next leader takes over at once (on).
    public var releaseOnCancel = true

    /// Settings for the Lease `name`, held as `identity`.
    public init(name: String, identity: String) {
        self.name = name
        self.identity = identity
    }
}
