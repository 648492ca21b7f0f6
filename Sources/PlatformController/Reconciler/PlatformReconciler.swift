import Foundation
import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime

/// The IncidentPlatform reconciler: level-based and idempotent; it reads the platform and the owned
/// informers' caches and converges the children, then writes status once if it changed.
///
/// Guarantees:
/// - An invalid spec sets SpecValid=False (every problem listed), phase Invalid and one Warning Event, and
///   throws a ``TerminalError`` (no retry until the object changes); nothing running is torn down.
/// - The finalizer `incidentops.io/cleanup` is added before any child is created; deletion is handled by
///   ``finalize(_:platform:context:)``.
/// - Every desired child is server-side applied (field manager `incident-operator`, force) unless its spec-hash
///   annotation and live hash show it unchanged: a converged platform costs no write at all.
/// - Generated Secrets are created once and never overwritten; PVCs only grow (a shrink or a storage class
///   change is refused with a Degraded condition while everything else proceeds).
/// - Children no longer desired are deleted (only ours: see ``PruneSet``).
/// - Status is computed once and written once through `/status` when it changed; at most one Normal Event
///   per reconcile that changed children, Warning Events for errors.
public enum PlatformReconciler {
    /// Reconciles one platform (the full object from the primary informer).
    public static func reconcile(_ object: JSONValue, _ context: PlatformContext) async throws -> Action {
        let log = Reconciliation.logger
        if object.deletionTimestamp != nil {
            return try await finalize(object, context: context)
        }
        let previous = (try? IncidentPlatformStatus(json: object["status"])) ?? IncidentPlatformStatus()
        let builder = PlatformStatusBuilder(generation: object.generation)
        let platform: IncidentPlatform
        switch PlatformSpecLoader.load(object, defaultNamespace: object.namespace ?? "default") {
        case .failure(let errors):
            let status = builder.invalid(previous: previous, errors: errors)
            if try await writeStatus(object, previous: previous, status: status, context: context) {
                await context.events.record(object, .warning, reason: PlatformStatusBuilder.Reason.invalidSpec,
                                            message: "The spec is invalid: " + errors.messages.joined(separator: "; "), logger: log)
            }
            log.warn("Invalid spec; not retrying until it changes", ["problems": .int(errors.errors.count)])
            throw TerminalError("the IncidentPlatform spec is invalid; fix it and the operator reconciles again:\n\(errors)")
        case .success(let loaded):
            platform = loaded
        }

        var current = object
        if let patch = FinalizerPatch.adding(to: current) {
            current = try await context.client.patch(.incidentPlatforms, name: platform.name, namespace: platform.namespace, .json(patch))
            log.info("Added the finalizer", ["finalizer": .string(FinalizerPatch.name)])
        }

        let desired = PlatformGenerator.desiredObjects(for: platform, secrets: .generate).map(ChildProjection.annotated)
        var outcome = ApplyOutcome()
        for child in desired {
            await converge(child, context: context, outcome: &outcome)
        }
        let desiredKeys = Set(desired.map(ChildPlan.key))
        for stale in PruneSet.select(live: context.allChildren(), desired: desiredKeys, platform: platform.name,
                                     namespace: platform.namespace, uid: current.uid) {
            await delete(stale, context: context, outcome: &outcome)
        }

        let components = PlatformStatusBuilder.components(desired: desired) { context.live($0) }
        let status = builder.valid(previous: previous, components: components, problems: outcome.problems)
        let statusChanged = try await writeStatus(current, previous: previous, status: status, context: context)

        if outcome.changed {
            await context.events.record(current, .normal, reason: "Reconciled", message: outcome.summary, logger: log)
            log.info("Converged children", ["created": .int(outcome.created.count), "updated": .int(outcome.updated.count),
                                             "deleted": .int(outcome.deleted.count)])
        }
        if statusChanged, !outcome.refusals.isEmpty {
            await context.events.record(current, .warning, reason: outcome.refusals[0].reason,
                                        message: outcome.refusals.map(\.message).joined(separator: "; "), logger: log)
        }
        if !outcome.failures.isEmpty {
            let message = outcome.failures.map(\.message).joined(separator: "; ")
            await context.events.record(current, .warning, reason: PlatformStatusBuilder.Reason.applyFailed, message: message, logger: log)
            throw ReconcileFailure(message: message)
        }
        log.debug("Reconciled", ["phase": .string(status.phase.rawValue), "ready": .string(status.ready)])
        return .awaitChange
    }

    /// Applies, creates or skips one desired child per its ``ChildPlan``.
    static func converge(_ child: JSONValue, context: PlatformContext, outcome: inout ApplyOutcome) async {
        let key = ChildPlan.key(child)
        guard let kind = child.kind, let resource = OperatorPermissions.descriptor(forKind: kind) else {
            outcome.failures.append((PlatformStatusBuilder.Reason.applyFailed, "\(key): no resource is known for kind \(child.kind ?? "nil")"))
            return
        }
        do {
            switch ChildPlan.decide(desired: child, live: context.live(child), recorded: context.hashes.get(key)) {
            case .upToDate(let adopt):
                if let adopt { context.hashes.set(key, adopt) }
            case .refused(let reason, let message):
                outcome.refusals.append((reason, message))
            case .createOnce(let secret):
                do {
                    _ = try await context.client.create(resource, secret, namespace: secret.namespace)
                    outcome.created.append(key)
                } catch let error as KubeClientError where error.isAlreadyExists {
                    // Created before (the cache had not caught up): never overwritten.
                }
            case .apply(let object, let existed):
                let applied = try await context.client.apply(resource, object, namespace: object.namespace,
                                                             fieldManager: PlatformContext.fieldManager, force: true)
                context.hashes.set(key, ChildProjection.liveHash(of: applied))
                if existed { outcome.updated.append(key) } else { outcome.created.append(key) }
                Reconciliation.logger.debug("Applied child", ["child": .string(key), "created": .bool(!existed)])
            }
        } catch {
            outcome.failures.append((PlatformStatusBuilder.Reason.applyFailed, "\(key): \(error)"))
        }
    }

    /// Deletes one child that is no longer desired.
    static func delete(_ child: JSONValue, context: PlatformContext, outcome: inout ApplyOutcome) async {
        let key = ChildPlan.key(child)
        guard let kind = child.kind, let resource = OperatorPermissions.descriptor(forKind: kind), let name = child.name else { return }
        do {
            try await context.client.delete(resource, name: name, namespace: child.namespace,
                                            options: DeleteOptions(propagationPolicy: .background, preconditionUID: child.uid))
            outcome.deleted.append(key)
        } catch let error as KubeClientError where error.isNotFound {
            // Gone already.
        } catch {
            outcome.failures.append((PlatformStatusBuilder.Reason.applyFailed, "deleting \(key): \(error)"))
        }
        context.hashes.set(key, nil)
    }

    /// Writes `status` through `/status` if it differs from `previous`; returns whether it wrote.
    static func writeStatus(_ object: JSONValue, previous: IncidentPlatformStatus, status: IncidentPlatformStatus,
                            context: PlatformContext) async throws -> Bool {
        guard status.json != previous.json || object["status"] == nil else { return false }
        let patch: [JSONValue] = [["op": "add", "path": "/status", "value": status.json]]
        _ = try await context.client.patch(.incidentPlatforms, name: object.name ?? "", namespace: object.namespace, .json(patch),
                                           subresource: "status")
        Reconciliation.logger.info("Status updated", ["phase": .string(status.phase.rawValue), "ready": .string(status.ready)])
        return true
    }
}

/// What one reconcile changed and what went wrong.
struct ApplyOutcome {
    var created: [String] = []
    var updated: [String] = []
    var deleted: [String] = []
    var refusals: [(reason: String, message: String)] = []
    var failures: [(reason: String, message: String)] = []

    var changed: Bool { !(created.isEmpty && updated.isEmpty && deleted.isEmpty) }

    /// Refusals, then failures: what makes the platform Degraded.
    var problems: [(reason: String, message: String)] { refusals + failures }

    /// `created 3 (Deployment/ops/x-grafana, ...); updated 1 (...); deleted 0`.
    var summary: String {
        func part(_ verb: String, _ keys: [String]) -> String? {
            guard !keys.isEmpty else { return nil }
            let shown = keys.prefix(8).joined(separator: ", ") + (keys.count > 8 ? ", …" : "")
            return "\(verb) \(keys.count) (\(shown))"
        }
        return [part("created", created), part("updated", updated), part("deleted", deleted)].compactMap { $0 }.joined(separator: "; ")
    }
}

/// Some children could not be written; retried with backoff.
public struct ReconcileFailure: Error, Sendable, CustomStringConvertible {
    /// Every failed write, `Kind/namespace/name: error`.
    public let message: String
    public var description: String { "some children could not be converged: \(message)" }
}
