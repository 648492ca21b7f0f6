import Foundation

/// A value guarded by a lock: the building block of the synchronous, `Sendable` types of this module
/// (metrics, the store, the logger) that must be cheap to call from any thread. Shared with the other modules of
/// this package (`package` access), so that none needs a lock of its own.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
