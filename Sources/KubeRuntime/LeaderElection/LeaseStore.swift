/// Reads and writes one Lease for leader election. The KubeClient adapter implements it over
/// `coordination.k8s.io/v1`; tests use an in-memory store.
public protocol LeaseStore: Sendable {
    /// The Lease, or nil when it does not exist.
    func get() async throws -> LeaseRecord?
    /// Creates the Lease; throws (409 AlreadyExists) when it exists.
    func create(_ record: LeaseRecord) async throws -> LeaseRecord
    /// Replaces the Lease if its resourceVersion is still `record.resourceVersion`; throws (409 Conflict)
    /// otherwise.
    func update(_ record: LeaseRecord) async throws -> LeaseRecord
}
