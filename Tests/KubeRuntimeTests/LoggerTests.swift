import Foundation
import KubeCore
import Testing
@testable import KubeRuntime
@testable import Logging

@Suite("Structured logger")
struct LoggerTests {
    @Test func jsonLinesCarryTsLevelMsgLoggerAndKeyValuesInOrder() throws {
        let sink = LogSink.memory()
        let log = Logger(name: "op", level: .info, format: .json, sink: sink)
            .named("incidentplatform")
            .with(["controller": "incidentplatform", "namespace": "ops"])
        log.info("reconciled \"prod\"", ["name": "prod", "replicas": 3, "ready": true, "took": 0.25])
        let line = try #require(sink.lines.first)
        let v = try JSONValue(json: line)
        #expect(v["level"] == "info")
        #expect(v["msg"] == "reconciled \"prod\"")
        #expect(v["logger"] == "op.incidentplatform")
        #expect(v["namespace"] == "ops")
        #expect(v["replicas"] == 3)
        #expect(v["ready"] == true)
        #expect(v["took"] == 0.25)
        #expect(v["ts"]?.stringValue?.hasSuffix("Z") == true)
        // ts, level, msg, logger first, then bound fields, then the call's fields.
        let order = ["\"ts\"", "\"level\"", "\"msg\"", "\"logger\"", "\"controller\"", "\"namespace\"", "\"name\"", "\"replicas\""]
        let positions = order.compactMap { line.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
    }

    @Test func levelsBelowTheLoggersLevelAreDropped() {
        let sink = LogSink.memory()
        let log = Logger(level: .warn, sink: sink)
        log.debug("d")
        log.info("i")
        log.warn("w")
        log.error("e")
        #expect(sink.lines.count == 2)
        #expect(LogLevel(name: "WARNING") == .warn)
        #expect(LogLevel(name: "verbose") == nil)
        Logger.disabled.error("never")
        #expect(Logger.disabled.isEnabled(.error) == false)
    }

    @Test func credentialsNeverPrint() throws {
        let sink = LogSink.memory()
        let log = Logger(sink: sink).with(["Authorization": "Bearer abc123"])
        log.info("connecting", ["token": "abc123", "dbPassword": "hunter2", "clientSecret": "s3", "header": "bearer xyz", "user": "admin"])
        let line = try #require(sink.lines.first)
        for leaked in ["abc123", "hunter2", "s3\"", "xyz"] { #expect(!line.contains(leaked)) }
        let v = try JSONValue(json: line)
        #expect(v["token"] == "[REDACTED]")
        #expect(v["dbPassword"] == "[REDACTED]")
        #expect(v["Authorization"] == "[REDACTED]")
        #expect(v["header"] == "[REDACTED]")
        #expect(v["user"] == "admin")
    }

    @Test func textFormatIsReadableAndQuotesWhenNeeded() throws {
        let sink = LogSink.memory()
        Logger(name: "op", format: .text, sink: sink).warn("watch failed", ["resource": "deployments.apps", "error": "connection reset by peer", "password": "x"])
        let line = try #require(sink.lines.first)
        #expect(line.contains(" WARN  op watch failed resource=deployments.apps error=\"connection reset by peer\" password=[REDACTED]"))
        #expect(!line.contains("{"))
    }

    @Test func repeatedKeysKeepTheLatestValue() throws {
        let sink = LogSink.memory()
        Logger(sink: sink).with(["name": "a"]).with(["name": "b"]).info("x", ["name": "c"])
        let line = try #require(sink.lines.first)
        #expect(line.components(separatedBy: "\"name\"").count == 2)
        #expect(try JSONValue(json: line)["name"] == "c")
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() {
        #expect(Logger.timestamp(Date(timeIntervalSince1970: 1_700_000_000.1234)) == "2023-11-14T22:13:20.123Z")
    }

    @Test func concurrentWritersProduceWholeLines() async throws {
        let sink = LogSink.memory()
        let log = Logger(sink: sink)
        await withTaskGroup(of: Void.self) { g in
            for t in 0..<8 { g.addTask { for i in 0..<50 { log.info("line", ["t": .int(t), "i": .int(i)]) } } }
        }
        #expect(sink.lines.count == 400)
        for line in sink.lines { _ = try JSONValue(json: line) }
    }
}
