import Foundation
import KubeCore
import Logging

/// The loop each worker runs: take a key, reconcile the cached object, decide what comes next.
struct ControllerWorker<Context: Sendable>: Sendable {
    let primary: Informer
    let queue: WorkQueue
    let reconcile: @Sendable (JSONValue, Context) async throws -> Action
    let errorPolicy: ErrorPolicy
    let context: Context
    let logger: Logger
    let metrics: ControllerMetrics?

    func loop() async {
        while let key = await queue.next() {
            await process(key)
            await queue.done(key)
        }
    }

    private func process(_ key: String) async {
        guard let object = primary.store.get(key) else {
            await queue.forget(key)  // deleted: nothing to converge
            return
        }
        let reconcileID = UUID().uuidString.lowercased()
        let log = logger.with([
            "namespace": .string(object.namespace ?? ""), "name": .string(object.name ?? ""),
            "reconcileID": .string(reconcileID),
        ])
        metrics?.workerStarted()
        defer { metrics?.workerFinished() }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let action = try await Reconciliation.$logger.withValue(log) {
                try await Reconciliation.$id.withValue(reconcileID) {
                    try await reconcile(object, context)
                }
            }
            let seconds = (clock.now - started).seconds
            await queue.forget(key)
            switch action {
            case .awaitChange:
                metrics?.reconciled(.success, seconds: seconds)
            case .requeue(let after) where after > .zero:
                await queue.add(key, after: after)
                metrics?.reconciled(.requeueAfter, seconds: seconds)
            case .requeue:
                await queue.add(key)
                metrics?.reconciled(.requeue, seconds: seconds)
            }
            log.debug("Reconciled", ["action": .string(action.description)])
        } catch {
            let seconds = (clock.now - started).seconds
            let terminal = error is TerminalError
            metrics?.reconciled(.error, seconds: seconds, terminal: terminal)
            switch errorPolicy.decision(for: error, key: key) {
            case .retryWithBackoff:
                let failures = await queue.failures(of: key)
                await queue.addRateLimited(key)
                log.error("Reconciler error; retrying with backoff", ["error": .error(error), "failures": .int(failures + 1)])
            case .requeue(let after):
                await queue.forget(key)
                await queue.add(key, after: after)
                log.error("Reconciler error; requeued", ["error": .error(error), "after": .string("\(after.seconds)s")])
            case .doNotRetry:
                await queue.forget(key)
                log.error(terminal ? "Reconciler error (terminal); not retrying until the object changes" : "Reconciler error; not retrying",
                          ["error": .error(error)])
            }
        }
    }
}
