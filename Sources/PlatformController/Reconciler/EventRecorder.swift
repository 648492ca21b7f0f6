import Foundation
import KubeClient
import KubeCore
import KubeRuntime

/// Records `core/v1` Events about a platform (`source`/`reportingComponent` `incident-operator`).
/// A failed event write is logged, never fails the reconcile.
public struct EventRecorder: Sendable {
    /// `incident-operator`.
    public static let component = "incident-operator"
    let client: KubeClient
    let instance: String

    /// A recorder writing through `client`; `instance` names this replica (`reportingInstance`).
    public init(client: KubeClient, instance: String) {
        self.client = client
        self.instance = instance
    }

    /// `Normal` or `Warning`.
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    /// Creates an Event about `object`.
    public func record(_ object: JSONValue, _ type: EventType, reason: String, message: String, logger: Logger) async {
        let now = LeaseRecord.formatMicroTime(Date())
        let seconds = String(now.prefix(19)) + "Z"
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["generateName": .string("\(object.name ?? "object")."), "namespace": .string(object.namespace ?? "default")],
            "involvedObject": [
                "apiVersion": .string(object.apiVersion ?? ""), "kind": .string(object.kind ?? ""),
                "name": .string(object.name ?? ""), "namespace": .string(object.namespace ?? ""),
                "uid": .string(object.uid ?? ""), "resourceVersion": .string(object.resourceVersion ?? ""),
            ],
            "type": .string(type.rawValue), "reason": .string(reason), "message": .string(String(message.prefix(1024))),
            "source": ["component": .string(Self.component)],
            "reportingComponent": .string(Self.component), "reportingInstance": .string(instance),
            "firstTimestamp": .string(seconds), "lastTimestamp": .string(seconds), "eventTime": .string(now),
            "count": 1, "action": .string(reason),
        ]
        do {
            _ = try await client.create(.events, event, namespace: object.namespace)
        } catch {
            logger.warn("Could not record an event", ["reason": .string(reason), "error": .error(error)])
        }
    }
}
