import Foundation

/// A bounded hand-off from the transport's thread to the async consumer of a watch. The producer blocks when
/// `capacity` events wait unread (back-pressure reaches the TCP connection instead of memory); the consumer
/// awaits. Cancelling wakes both sides. An event is released as soon as it is handed over: the buffer never
/// holds more than `capacity` decoded objects (a watch of Deployments holds a few hundred KiB, not megabytes).
final class WatchChannel: @unchecked Sendable {
    // @unchecked: all state is guarded by `condition`.
    private let condition = NSCondition()
    private let capacity: Int
    /// Queued events from `head` on; handed-over slots before `head` are nil (their objects already released).
    private var buffer: [WatchEvent?] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waiter: CheckedContinuation<WatchEvent?, any Error>?

    init(capacity: Int = 64) { self.capacity = max(1, capacity) }

    var isCancelled: Bool { condition.withLock { cancelled } }

    /// The events the channel holds (queued, not yet handed over): never more than `capacity`.
    var heldEvents: Int { condition.withLock { buffer.reduce(0) { $0 + ($1 == nil ? 0 : 1) } } }

    /// Producer: queues `event`, blocking while the buffer is full. `false` once cancelled.
    func send(_ event: WatchEvent) -> Bool {
        condition.lock()
        while buffer.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled || finished {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: event)
            return true
        }
        buffer.append(event)
        condition.unlock()
        return true
    }

    /// Producer: no more events; the consumer sees `error` (or the end) after draining the buffer.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        guard !finished else { condition.unlock(); return }
        finished = true
        failure = error
        let waiter = self.waiter
        self.waiter = nil
        condition.unlock()
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Consumer (or its task's cancellation): stop; the producer's next `send` returns `false`.
    func cancel() {
        condition.lock()
        cancelled = true
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Consumer: the next event, `nil` at the end; throws the producer's error.
    func next() async throws -> WatchEvent? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WatchEvent?, any Error>) in
                condition.lock()
                if cancelled || Task.isCancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else if let event = takeLocked() {
                    condition.signal()
                    condition.unlock()
                    continuation.resume(returning: event)
                } else if finished {
                    let error = failure
                    failure = nil
                    condition.unlock()
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
                } else {
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The oldest queued event, its slot released; nil when none waits. Call with `condition` locked.
    private func takeLocked() -> WatchEvent? {
        guard head < buffer.count, let event = buffer[head] else { return nil }
        buffer[head] = nil
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= capacity {
            buffer.removeFirst(head)
            head = 0
        }
        return event
    }
}
