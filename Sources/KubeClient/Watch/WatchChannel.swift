import Foundation

/// A bounded hand-off from the transport's thread to the async consumer of a watch. The producer blocks when
/// `capacity` events wait unread (back-pressure reaches the TCP connection instead of memory); the consumer
/// awaits. Cancelling wakes both sides.
final class WatchChannel: @unchecked Sendable {
    // @unchecked: all state is guarded by `condition`.
    private let condition = NSCondition()
    private let capacity: Int
    private var buffer: [WatchEvent] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waiter: CheckedContinuation<WatchEvent?, any Error>?

    init(capacity: Int = 64) { self.capacity = max(1, capacity) }

    var isCancelled: Bool { condition.withLock { cancelled } }

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
                } else if head < buffer.count {
                    let event = buffer[head]
                    head += 1
                    if head > 256 && head * 2 > buffer.count {
                        buffer.removeFirst(head)
                        head = 0
                    }
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
}
