import KubeClient
import KubeCore
import KubeRuntime

/// The ``LeaseStore`` of leader election over `coordination.k8s.io/v1` Leases through a ``KubeClient``.
///
/// (An adapter the runtime does not provide yet; it belongs next to `LeaseStore` once it does.)
public struct KubeClientLeaseStore: LeaseStore {
    let client: KubeClient
    let name: String
    let namespace: String

    /// The Lease `name` in `namespace`.
    public init(client: KubeClient, name: String, namespace: String) {
        self.client = client
        self.name = name
        self.namespace = namespace
    }

    public func get() async throws -> LeaseRecord? {
        do {
            return LeaseRecord(lease: try await client.get(.leases, name: name, namespace: namespace))
        } catch let error as KubeClientError where error.isNotFound {
            return nil
        }
    }

    public func create(_ record: LeaseRecord) async throws -> LeaseRecord {
        var lease = record.lease(name: name, namespace: namespace)
        lease["metadata", "resourceVersion"] = nil
        return LeaseRecord(lease: try await client.create(.leases, lease, namespace: namespace))
    }

    public func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        LeaseRecord(lease: try await client.update(.leases, record.lease(name: name, namespace: namespace), namespace: namespace))
    }
}
