import Foundation
import KubeCore
import Testing
@testable import KubeClient

@Suite("watch stream decoding")
struct WatchDecodingTests {
    let lines = [
        #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"1"}}}"#,
        #"{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}"#,
        #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"5"}}}"#,
        #"{"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"6"}}}"#,
    ]

    @Test(arguments: [1, 2, 3, 7, 50, 1000])
    func linesSplitAcrossAnyChunkSizeComeOutWhole(chunkSize: Int) throws {
        let bytes = Array(lines.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
        var splitter = WatchLineSplitter()
        var out: [String] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            out += try splitter.feed(Array(bytes[offset..<end])).map { String(decoding: $0, as: UTF8.self) }
            offset = end
        }
        #expect(out == lines)
        #expect(splitter.bufferedByteCount == 0)
    }

    @Test func severalLinesInOneChunkAndCRLFAndBlankLines() throws {
        var splitter = WatchLineSplitter()
        let chunk = Array((lines[0] + "\r\n\n" + lines[1] + "\n" + lines[2].prefix(10)).utf8)
        let out = try splitter.feed(chunk).map { String(decoding: $0, as: UTF8.self) }
        #expect(out == [lines[0], lines[1]])
        #expect(splitter.bufferedByteCount == 10)
        let rest = try splitter.feed(Array((lines[2].dropFirst(10) + "\n").utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(rest == [lines[2]])
    }

    @Test func anEndlessLineIsAnErrorNotUnboundedMemory() {
        var splitter = WatchLineSplitter(maxLineLength: 64)
        #expect(throws: KubeClientError.self) {
            for _ in 0..<10 { _ = try splitter.feed(Array(repeating: UInt8(ascii: "x"), count: 16)) }
        }
        #expect(splitter.bufferedByteCount == 0)
    }

    @Test func eventsDecodeToTypedCases() throws {
        let events = try lines.map { try WatchEvent(line: Array($0.utf8)) }
        guard case .added(let object) = events[0] else { Issue.record("expected ADDED"); return }
        #expect(object.name == "a")
        if case .modified = events[1] {} else { Issue.record("expected MODIFIED, got \(events[1])") }
        #expect(events[2] == .bookmark(resourceVersion: "5"))
        if case .deleted = events[3] {} else { Issue.record("expected DELETED, got \(events[3])") }
        #expect(events.map(\.resourceVersion) == ["1", "2", "5", "6"])
    }

    @Test func errorEventWith410IsExpired() {
        let line = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":410,"reason":"Expired","message":"too old resource version: 1 (9)"}}"#
        do {
            _ = try WatchEvent(line: Array(line.utf8))
            Issue.record("an ERROR event must throw")
        } catch let error as KubeClientError {
            guard case .expired(let status) = error else { Issue.record("expected .expired, got \(error)"); return }
            #expect(status.message.contains("too old"))
            #expect(error.isGone)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func otherErrorEventsAreAPIErrors() {
        let line = #"{"type":"ERROR","object":{"kind":"Status","code":500,"reason":"InternalError","message":"boom"}}"#
        #expect(throws: KubeClientError.self) { _ = try WatchEvent(line: Array(line.utf8)) }
        #expect(throws: KubeClientError.self) { _ = try WatchEvent(line: Array("not json".utf8)) }
    }

    @Test func channelBlocksTheProducerWhenFullAndDrainsInOrder() async throws {
        let channel = WatchChannel(capacity: 2)
        // The producer blocks, as the transport's thread does: run it on a thread of its own.
        let producer = Task { await onThread { () -> Int in
            for i in 0..<20 { if !channel.send(.bookmark(resourceVersion: String(i))) { return i } }
            channel.finish()
            return 20
        } }
        var seen: [String] = []
        while let event = try await channel.next() { seen.append(event.resourceVersion ?? "") }
        #expect(seen == (0..<20).map(String.init))
        #expect(await producer.value == 20)
    }

    @Test func channelReleasesEveryEventItHandsOver() async throws {
        // A watch of large objects must not keep consumed events alive (it kept up to ~300 decoded objects).
        let channel = WatchChannel(capacity: 8)
        for round in 0..<50 {
            for i in 0..<5 { #expect(channel.send(.bookmark(resourceVersion: "\(round).\(i)"))) }
            #expect(channel.heldEvents == 5)
            for i in 0..<5 { #expect(try await channel.next()?.resourceVersion == "\(round).\(i)") }
            #expect(channel.heldEvents == 0)
        }
        for i in 0..<7 { #expect(channel.send(.bookmark(resourceVersion: String(i)))) }
        for i in 0..<3 { #expect(try await channel.next()?.resourceVersion == String(i)) }
        #expect(channel.heldEvents == 4)
    }

    @Test func cancellingTheChannelReleasesABlockedProducer() async throws {
        let channel = WatchChannel(capacity: 1)
        let producer = Task { await onThread { () -> Int in
            var sent = 0
            while channel.send(.bookmark(resourceVersion: String(sent))) { sent += 1 }
            return sent
        } }
        _ = try await channel.next()
        channel.cancel()
        let sent = await producer.value
        #expect(sent >= 1 && sent <= 3)
        #expect(try await channel.next() == nil)
    }
}

/// Runs blocking `body` on a new thread (never on the cooperative pool) and returns its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
