import KubeClient
import KubeCore

/// A ``LeaseStore`` over a `KubeClient`: the `coordination.k8s.io/v1` Lease `name` in `namespace`,
/// updated with resourceVersion preconditions (PUT).
public struct KubeLeaseStore: LeaseStore {
    /// The client.
    public let client: KubeClient
    /// The Lease name.
    public let name: String
    /// The Lease namespace.
    public let namespace: String

    /// The Lease `name` in `namespace` through `client`.
    public init(client: KubeClient, name: String, namespace: String) {
        self.client = client
        self.name = name
        self.namespace = namespace
    }

    /// Reads the Lease; nil on 404.
    public func get() async throws -> LeaseRecord? {
        do {
            return LeaseRecord(lease: try await client.get(.leases, name: name, namespace: namespace))
        } catch let error as KubeClientError where error.isNotFound {
            return nil
        }
    }

    /// Creates the Lease (without a resourceVersion).
    public func create(_ record: LeaseRecord) async throws -> LeaseRecord {
        var lease = record.lease(name: name, namespace: namespace)
        lease["metadata", "resourceVersion"] = nil
        return LeaseRecord(lease: try await client.create(.leases, lease, namespace: namespace))
    }

    /// Replaces the Lease with a PUT carrying the resourceVersion read: 409 when it changed.
    public func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        LeaseRecord(lease: try await client.update(.leases, record.lease(name: name, namespace: namespace), namespace: namespace))
    }
}
