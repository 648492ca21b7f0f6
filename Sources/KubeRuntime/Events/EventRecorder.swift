import Foundation
import KubeClient
import KubeCore
import Logging

/// Records Kubernetes Events (`v1` Event) about objects, like client-go's `EventRecorder`: what `kubectl
/// describe` shows under "Events".
///
/// ```swift
/// let events = EventRecorder(client: client, component: "incident-operator", logger: log)
/// await events.record(for: platform, type: .normal, reason: "Created", message: "Created Deployment ops/grafana")
/// ```
///
/// Guarantees:
/// - The same event (object, type, reason, message) again within `aggregationWindow` (10 minutes) increments
///   `count` and `lastTimestamp` of the first one instead of creating another.
/// - Recording never throws: a failure is logged as a warning, and the reconcile goes on.
/// - What it remembers for aggregation is bounded: entries older than `aggregationWindow` are dropped, at most
///   4096 are kept, and ``forget(uid:)`` drops those of a deleted object at once.
public actor EventRecorder {
    /// `Normal` or `Warning`.
    public enum EventType: String, Sendable {
        /// Something expected happened.
        case normal = "Normal"
        /// Something went wrong.
        case warning = "Warning"
    }

    private struct Seen {
        var name: String
        var namespace: String
        var count: Int
        var last: Date
    }

    private let client: KubeClient
    private let component: String
    private let instance: String
    private let logger: Logger
    private let aggregationWindow: TimeInterval
    private var seen: [String: Seen] = [:]
    private var order: [String] = []
    private let maxRemembered = 4096
    private var nextExpiry = Date.distantPast

    /// A recorder writing as `component` (`source.component`, `reportingComponent`) from `instance`
    /// (`reportingInstance`, e.g. the pod name).
    public init(client: KubeClient, component: String, instance: String = ProcessInfo.processInfo.hostName,
                aggregationWindow: Duration = .seconds(600), logger: Logger = .disabled) {
        self.client = client
        self.component = component
        self.instance = instance
        self.aggregationWindow = aggregationWindow.seconds
        self.logger = logger.named("events")
    }

    /// Records an event about `object` (which needs `apiVersion`, `kind` and `metadata.name`).
    public func record(for object: JSONValue, type: EventType, reason: String, message: String) async {
        let namespace = object.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let key = [object.uid ?? "", object.kind ?? "", namespace, object.name ?? "", type.rawValue, reason, message]
            .joined(separator: "\u{1}")
        let now = Date()
        if let previous = seen[key], now.timeIntervalSince(previous.last) < aggregationWindow {
            let count = previous.count + 1
            let patch: JSONValue = ["count": .int(count), "lastTimestamp": .string(Self.time(now))]
            do {
                _ = try await client.patch(.events, name: previous.name, namespace: previous.namespace, .merge(patch))
                seen[key] = Seen(name: previous.name, namespace: previous.namespace, count: count, last: now)
                return
            } catch let error as KubeClientError where error.isNotFound {
                seen[key] = nil  // the Event expired meanwhile: create a new one
            } catch {
                logger.warn("Could not update an event", ["reason": .string(reason), "error": .error(error)])
                return
            }
        }
        let event = Self.event(for: object, namespace: namespace, type: type, reason: reason, message: message,
                               component: component, instance: instance, at: now)
        do {
            let created = try await client.create(.events, event, namespace: namespace)
            remember(key, Seen(name: created.name ?? event.name ?? "", namespace: namespace, count: 1, last: now))
        } catch {
            logger.warn("Could not record an event", ["reason": .string(reason), "object": .string(object.objectKey), "error": .error(error)])
        }
    }

    /// Forgets the events recorded about the object with `uid` (call it when the object is deleted): they can
    /// never be aggregated again (an object re-created under the same name has another uid), so keeping them
    /// until they expire would only hold memory for every object deleted in the last `aggregationWindow`.
    public func forget(uid: String) {
        let prefix = uid + "\u{1}"
        let before = seen.count
        seen = seen.filter { !$0.key.hasPrefix(prefix) }
        if seen.count != before { order.removeAll { seen[$0] == nil } }
    }

    /// The number of events remembered for aggregation.
    var rememberedCount: Int { seen.count }

    private func remember(_ key: String, _ value: Seen) {
        if value.last >= nextExpiry { dropExpired(now: value.last) }
        if seen[key] == nil { order.append(key) }
        seen[key] = value
        if order.count > maxRemembered {
            let dropped = order.prefix(order.count - maxRemembered / 2)
            for k in dropped { seen[k] = nil }
            order.removeFirst(dropped.count)
        }
    }

    /// Drops the entries that can no longer be aggregated (last seen `aggregationWindow` ago); runs at most
    /// every tenth of the window.
    private func dropExpired(now: Date) {
        nextExpiry = now.addingTimeInterval(aggregationWindow / 10)
        let before = seen.count
        seen = seen.filter { now.timeIntervalSince($0.value.last) < aggregationWindow }
        if seen.count != before { order.removeAll { seen[$0] == nil } }
    }

    /// The Event object, named `<object>.<unix nanoseconds in hex>` like client-go.
    static func event(for object: JSONValue, namespace: String, type: EventType, reason: String, message: String,
                      component: String, instance: String, at now: Date) -> JSONValue {
        let suffix = String(UInt64(max(0, now.timeIntervalSince1970) * 1e9), radix: 16)
        var involved: JSONValue = [
            "apiVersion": .string(object.apiVersion ?? ""), "kind": .string(object.kind ?? ""), "name": .string(object.name ?? ""),
        ]
        if let ns = object.namespace, !ns.isEmpty { involved["namespace"] = .string(ns) }
        if let uid = object.uid { involved["uid"] = .string(uid) }
        if let rv = object.resourceVersion { involved["resourceVersion"] = .string(rv) }
        let ts = JSONValue.string(time(now))
        return [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(object.name ?? "object").\(suffix)"), "namespace": .string(namespace)],
            "involvedObject": involved,
            "type": .string(type.rawValue), "reason": .string(reason), "message": .string(String(message.prefix(1024))),
            "source": ["component": .string(component)],
            "reportingComponent": .string(component), "reportingInstance": .string(instance),
            "firstTimestamp": ts, "lastTimestamp": ts, "count": 1,
        ]
    }

    /// `metav1.Time`: RFC 3339 in whole seconds, UTC.
    static func time(_ date: Date) -> String {
        String(Logger.timestamp(date).dropLast(5)) + "Z"
    }
}
