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
/// - The finalizer `incidentops.io/cleanup` is added before any child is created; on deletion
///   ``cleanUp(_:context:)`` runs, then the finalizer is removed (guarded: never someone else's).
/// - Every desired child is server-side applied (field manager `incident-operator`, force) unless its spec-hash
///   annotation and live hash show it unchanged: a converged platform costs no write at all.
/// - Generated Secrets are created once and never overwritten; PVCs only grow (a shrink or a storage class
///   change is refused with a Degraded condition while everything else proceeds).
/// - Children no longer desired are deleted (only ours: see ``PruneSet``).
/// - Status is computed once and written once through `/status` when it changed; at most one Normal Event
///   per reconcile that changed children, Warning Events for errors.
public enum PlatformReconciler {
    /// Reconciles one platform (the full object from the primary informer): the finalizer first (the runtime's
    /// ``Finalizer``: added before anything is created, removed after ``cleanUp(_:context:)``), then ``apply``.
    public static func reconcile(_ object: JSONValue, _ context: PlatformContext) async throws -> Action {
        try await context.finalizer.reconcile(object) { event in
            switch event {
            case .apply(let platform):
                return try await apply(platform, context: context)
            case .cleanup(let platform):
                try await cleanUp(platform, context: context)
                await forget(platform, context: context)
                return .awaitChange
            }
        }
    }

    /// Drops what the operator remembers of a platform that is going away (its status writes, the live hashes
    /// of its children and its Events kept for aggregation), so that memory does not grow with every platform
    /// ever deleted.
    static func forget(_ object: JSONValue, context: PlatformContext) async {
        if let uid = object.uid { await context.events.forget(uid: uid) }
        guard let name = object.name, let namespace = object.namespace else { return }
        context.statusThrottle.forget(key: Store.key(namespace: namespace, name: name))
        // Generated Secrets are never hashed, so the children without them name every recorded key.
        guard case .success(let platform) = PlatformSpecLoader.load(object, defaultNamespace: namespace) else { return }
        for child in PlatformGenerator.desiredObjects(for: platform, secrets: .omit) {
            context.hashes.set(ChildPlan.key(child), nil)
        }
    }

    /// Converges a live platform that carries the finalizer.
    static func apply(_ object: JSONValue, context: PlatformContext) async throws -> Action {
        let log = Reconciliation.logger
        let previous = (try? IncidentPlatformStatus(json: object["status"])) ?? IncidentPlatformStatus()
        let builder = PlatformStatusBuilder(generation: object.generation)
        let platform: IncidentPlatform
        switch PlatformSpecLoader.load(object, defaultNamespace: object.namespace ?? "default") {
        case .failure(let errors):
            try await reportInvalid(object, errors: errors, status: builder.invalid(previous: previous, errors: errors), context: context)
            throw TerminalError("the IncidentPlatform spec is invalid; fix it and the operator reconciles again:\n\(errors)")
        case .success(let loaded):
            platform = loaded
        }

        let current = object
        let desired = PlatformGenerator.desiredObjects(for: platform, secrets: .generate).map(ChildProjection.annotated)
        let outcome = await convergeChildren(desired, platform: platform, uid: current.uid, context: context)

        // Children written just now are read from the write's answer: the cache may not have them yet.
        let components = PlatformStatusBuilder.components(desired: desired) { outcome.written[ChildPlan.key($0)] ?? context.live($0) }
        let status = builder.valid(previous: previous, components: components, problems: outcome.problems)
        let key = Store.key(namespace: platform.namespace, name: platform.name)
        let throttle = context.statusThrottle
        if outcome.changed { throttle.childrenWritten(key: key) }
        if outcome.problems.isEmpty, let hold = throttle.hold(key: key) {
            // Children written a moment ago report no rollout yet: look again shortly, then write a truthful
            // status once (the Event tells what changed).
            await recordChanges(outcome, on: current, context: context)
            return .requeue(after: hold)
        }
        if !outcome.changed, let wait = throttle.delay(key: key, previous: previous, next: status) {
            // Only rollout counts moved since the last write a moment ago: fold them into the next write.
            log.debug("Deferring a progress-only status write", ["after": .string("\(wait)")])
            return .requeue(after: wait)
        }
        var statusChanged = false
        if !throttle.repeatsLastWrite(key: key, status, over: previous) {
            statusChanged = try await writeStatus(current, previous: previous, status: status, context: context)
            if statusChanged { throttle.wrote(key: key, status, over: previous) }
        }
        await recordChanges(outcome, on: current, context: context)
        if statusChanged, let first = outcome.refusals.first {
            await context.events.record(for: current, type: .warning, reason: first.reason,
                                        message: outcome.refusals.map(\.message).joined(separator: "; "))
        }
        if !outcome.failures.isEmpty {
            let message = outcome.failures.map(\.message).joined(separator: "; ")
            await context.events.record(for: current, type: .warning, reason: PlatformStatusBuilder.Reason.applyFailed, message: message)
            throw ReconcileFailure(message: message)
        }
        log.debug("Reconciled", ["phase": .string(status.phase.rawValue), "ready": .string(status.ready)])
        return .awaitChange
    }

    /// Writes the Invalid status and, when it changed, one Warning Event listing every problem.
    static func reportInvalid(_ object: JSONValue, errors: PlatformValidationErrors, status: IncidentPlatformStatus,
                              context: PlatformContext) async throws {
        let log = Reconciliation.logger
        let previous = (try? IncidentPlatformStatus(json: object["status"])) ?? IncidentPlatformStatus()
        if try await writeStatus(object, previous: previous, status: status, context: context) {
            await context.events.record(for: object, type: .warning, reason: PlatformStatusBuilder.Reason.invalidSpec,
                                        message: "The spec is invalid: " + errors.messages.joined(separator: "; "))
        }
        log.warn("Invalid spec; not retrying until it changes", ["problems": .int(errors.errors.count)])
    }

    /// Applies every desired child (in apply order), then deletes the children no longer desired.
    static func convergeChildren(_ desired: [JSONValue], platform: IncidentPlatform, uid: String?, context: PlatformContext) async -> ApplyOutcome {
        var outcome = ApplyOutcome()
        for child in desired {
            await converge(child, context: context, outcome: &outcome)
        }
        let desiredKeys = Set(desired.map(ChildPlan.key))
        for stale in PruneSet.select(live: context.children(of: platform.name, in: platform.namespace), desired: desiredKeys, platform: platform.name,
                                     namespace: platform.namespace, uid: uid) {
            await delete(stale, context: context, outcome: &outcome)
        }
        return outcome
    }

    /// One Normal Event summarising what a reconcile created, updated and deleted (none if nothing).
    static func recordChanges(_ outcome: ApplyOutcome, on platform: JSONValue, context: PlatformContext) async {
        guard outcome.changed else { return }
        let log = Reconciliation.logger
        await context.events.record(for: platform, type: .normal, reason: "Reconciled", message: outcome.summary)
        log.info("Converged children", ["created": .int(outcome.created.count), "updated": .int(outcome.updated.count),
                                         "deleted": .int(outcome.deleted.count)])
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
                outcome.written[key] = ChildProjection.project(applied)
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
