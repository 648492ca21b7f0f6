#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a lock: the building block of the synchronous, `Sendable` types of this module
/// (metrics, the store, the logger) that must be cheap to call from any thread. Shared with the other modules of
/// this package (`package` access), so that none needs a lock of its own.
///
/// The lock is a `pthread_mutex_t` on the heap (a mutex must not move once initialised), destroyed in `deinit`.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
