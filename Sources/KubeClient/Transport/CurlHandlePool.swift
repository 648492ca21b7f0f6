import Foundation

/// A bounded pool of easy handles: at most `capacity` requests run at once, and idle handles (with their
/// kept-alive connections) are reused, so concurrent callers share a few connections instead of one each.
final class CurlHandlePool: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.
    private let lock = NSLock()
    private let capacity: Int
    private var idle: [CurlEasyHandle] = []
    private var created = 0
    private var waiters: [CheckedContinuation<CurlEasyHandle?, Never>] = []

    init(capacity: Int) { self.capacity = capacity }

    /// A handle for exclusive use; waits while `capacity` handles are busy. `nil` if libcurl cannot make one.
    func acquire() async -> CurlEasyHandle? {
        await withCheckedContinuation { (c: CheckedContinuation<CurlEasyHandle?, Never>) in
            lock.lock()
            if let h = idle.popLast() {
                lock.unlock()
                c.resume(returning: h)
            } else if created < capacity {
                created += 1
                lock.unlock()
                let h = CurlEasyHandle()
                if h == nil { lock.withLock { created -= 1 } }
                c.resume(returning: h)
            } else {
                waiters.append(c)
                lock.unlock()
            }
        }
    }

    /// Returns a handle (or `nil` to give back the slot of a handle that was discarded).
    func release(_ handle: CurlEasyHandle?) {
        lock.lock()
        guard !waiters.isEmpty else {
            if let handle { idle.append(handle) } else { created -= 1 }
            lock.unlock()
            return
        }
        let waiter = waiters.removeFirst()
        let next = handle ?? CurlEasyHandle()
        if next == nil { created -= 1 }
        lock.unlock()
        waiter.resume(returning: next)
    }

    /// Handles created so far (for tests).
    var handleCount: Int { lock.withLock { created } }
}
