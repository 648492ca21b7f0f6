import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox store persistence")
struct SandboxStoreTests {
    func tempDir() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-store-\(UUID().uuidString)") }

    @Test func snapshotsBoundTheLogAndLoseNothing() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let store = try ObjectStore(persistence: try Persistence(directory: dir, checkpointEvery: 3))
            defer { try? store.close() }
            for i in 0..<10 { try store.put("/configmaps", configMap("cm-\(i)").settingNamespace("default")) }
            try store.remove("/configmaps", namespace: "default", name: "cm-0")
            let log = try String(contentsOf: dir.appendingPathComponent("wal.jsonl"), encoding: .utf8)
            #expect(log.split(separator: "\n").count <= 3)
        }
        let reopened = try ObjectStore(persistence: try Persistence(directory: dir))
        defer { try? reopened.close() }
        #expect(reopened.list("/configmaps", namespace: "default").compactMap(\.name) == (1..<10).map { "cm-\($0)" })
        #expect(reopened.revision == 11)
    }

    @Test func aDataDirectoryServesOneSandboxAtATime() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try Persistence(directory: dir)
        #expect(throws: Persistence.Failure.self) { try Persistence(directory: dir) }
        first.close()
        #expect(throws: Never.self) { try Persistence(directory: dir) }
    }

    @Test func aTornLastLineIsIgnoredAndAnUnreadableSnapshotIsReported() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let persistence = try Persistence(directory: dir)
            let store = try ObjectStore(persistence: persistence)
            try store.put("/configmaps", configMap("kept").settingNamespace("default"))
            persistence.close()  // as a crash would: no final snapshot
        }
        let wal = try FileHandle(forWritingTo: dir.appendingPathComponent("wal.jsonl"))
        try wal.seekToEnd()
        try wal.write(contentsOf: Data(#"{"op":"put","resource":"/configmaps","rv":7,"obj"#.utf8))
        try wal.close()
        do {
            let reopened = try ObjectStore(persistence: try Persistence(directory: dir))
            defer { try? reopened.close() }
            #expect(reopened.get("/configmaps", namespace: "default", name: "kept") != nil)
        }
        try Data("{not json".utf8).write(to: dir.appendingPathComponent("snapshot.json"))
        #expect(throws: Persistence.Failure.self) { try Persistence(directory: dir).load() }
    }
}

extension JSONValue {
    func settingNamespace(_ ns: String) -> JSONValue {
        var o = self
        o["metadata", "namespace"] = .string(ns)
        return o
    }
}
