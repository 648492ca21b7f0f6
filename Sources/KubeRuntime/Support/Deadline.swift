import Locking
/// The call did not finish before its deadline.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var deadline: Duration
    var description: String { "no answer within \(deadline.seconds)s" }
}

/// Runs `body` and returns its result, or throws ``DeadlineExceeded`` after `deadline` (cancelling `body`,
/// without waiting for it).
func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = Locked<CheckedContinuation<T, any Error>?>(nil)
    let work = Locked<[Task<Void, Never>]>([])
    return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        once.withLock { $0 = c }
        func finish(_ result: Result<T, any Error>) {
            guard let c = once.withLock({ s -> CheckedContinuation<T, any Error>? in defer { s = nil }; return s }) else { return }
            for t in work.withLock({ $0 }) { t.cancel() }
            c.resume(with: result)
        }
        let call = Task {
            do { finish(.success(try await body())) } catch { finish(.failure(error)) }
        }
        let timer = Task {
            do { try await Task.sleep(for: deadline) } catch { return }  // cancelled: the call finished first
            finish(.failure(DeadlineExceeded(deadline: deadline)))
        }
        work.withLock { $0 = [call, timer] }
        if once.withLock({ $0 == nil }) { call.cancel(); timer.cancel() }
    }
}
