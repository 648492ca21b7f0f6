#if canImport(Glibc)
import Glibc
#endif

/// A mutex with a condition variable, for state that threads wait on (a connection pool's free slots):
/// `lock()`/`unlock()` around the state, `wait(until:)` to sleep until signalled or a deadline passes,
/// `signal()`/`broadcast()` to wake waiters. The deadline is on the monotonic clock, so changes of the wall
/// clock do not shorten or extend a wait.
///
/// ```swift
/// let deadline = ContinuousClock.now + .seconds(5)
/// condition.lock()
/// while !ready { if !condition.wait(until: deadline) { break } }
/// condition.unlock()
/// ```
package final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init failed")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }

    package func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits (the lock held) until signalled or until `deadline`; the lock is held again on return. False when
    /// the deadline passed. Spurious wakeups return true: check the state again.
    package func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return false }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = remaining.components
        var nanoseconds = Int64(now.tv_nsec) + attoseconds / 1_000_000_000
        var wholeSeconds = Int64(now.tv_sec) + seconds
        if nanoseconds >= 1_000_000_000 {
            nanoseconds -= 1_000_000_000
            wholeSeconds += 1
        }
        var until = timespec(tv_sec: Int(wholeSeconds), tv_nsec: Int(nanoseconds))
        return pthread_cond_timedwait(condition, mutex, &until) != ETIMEDOUT
    }

    /// Waits (the lock held) until signalled.
    package func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes one waiter.
    package func signal() { pthread_cond_signal(condition) }

    /// Wakes all waiters.
    package func broadcast() { pthread_cond_broadcast(condition) }
}
