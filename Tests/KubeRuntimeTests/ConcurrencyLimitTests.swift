import Testing
@testable import KubeRuntime
import Metrics

/// The limit the informers share for their list pages.
@Suite("Concurrency limit")
struct ConcurrencyLimitTests {
    actor Gauge {
        var now = 0
        var most = 0
        func enter() { now += 1; most = max(most, now) }
        func leave() { now -= 1 }
    }

    @Test func neverRunsMoreThanTheLimitAndRunsEveryBody() async throws {
        let limit = ConcurrencyLimit(2)
        let gauge = Gauge()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<12 {
                group.addTask {
                    try await limit.run {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(5))
                        await gauge.leave()
                        return i
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.sorted() == Array(0..<12))
        #expect(await gauge.most <= 2)
        #expect(await limit.inUse == 0)
    }

    @Test func runsAsManyAsTheLimitTogether() async throws {
        // Each body waits (up to 5 s) until both are inside: with a limit of 1 the first would time out.
        let limit = ConcurrencyLimit(2)
        let gauge = Gauge()
        let met = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await limit.run {
                        await gauge.enter()
                        for _ in 0..<500 where await gauge.now < 2 { try await Task.sleep(for: .milliseconds(10)) }
                        return await gauge.now == 2
                    }
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(met)
    }

    @Test func aFailingBodyGivesItsTurnBack() async throws {
        struct Boom: Error {}
        let limit = ConcurrencyLimit(1)
        await #expect(throws: Boom.self) { try await limit.run { throw Boom() } }
        #expect(await limit.inUse == 0)
        #expect(try await limit.run { 7 } == 7)
    }
}
