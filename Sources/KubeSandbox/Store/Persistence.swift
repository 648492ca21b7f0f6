import Foundation
import KubeCore
#if canImport(Glibc)
import Glibc
#endif

/// Durable state under `--data-dir`: `snapshot.json` (the whole store, replaced atomically by write-temp, fsync,
/// rename, fsync of the directory) and `wal.jsonl` (one fsync'd line per change since the snapshot). A change is
/// acknowledged only after its log line is on disk; a torn last line (a crash mid-write) is ignored on load.
final class Persistence: @unchecked Sendable {
    /// One logged change.
    enum Entry {
        case put(storeKey: String, object: JSONValue, revision: Int)
        case remove(storeKey: String, key: String, revision: Int)

        var json: JSONValue {
            switch self {
            case .put(let s, let o, let r): return ["op": "put", "resource": .string(s), "object": o, "rv": .int(r)]
            case .remove(let s, let k, let r): return ["op": "delete", "resource": .string(s), "key": .string(k), "rv": .int(r)]
            }
        }
    }

    /// A failure to read or write the data directory, naming the file.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let directory: URL
    private var walFD: Int32 = -1
    /// Log lines since the last snapshot; past ``checkpointEvery`` the store writes a new snapshot.
    private(set) var entriesSinceSnapshot = 0
    /// How many log lines make the store write a new snapshot (bounding the log and the replay time).
    let checkpointEvery: Int

    private var lockFD: Int32 = -1

    /// Opens (creating) the directory and takes its lock, so that two sandboxes never share one directory.
    init(directory: URL, checkpointEvery: Int = 5000) throws {
        self.directory = directory
        self.checkpointEvery = checkpointEvery
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        let lockPath = directory.appendingPathComponent("lock").path
        lockFD = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard lockFD >= 0 else { throw Failure(description: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(lockFD)
            lockFD = -1
            throw Failure(description: "the data directory \(directory.path) is in use by another sandbox; stop it or choose another --data-dir")
        }
    }

    deinit { close() }

    /// Closes the log and releases the directory lock; later appends fail.
    func close() {
        if walFD >= 0 { Glibc.close(walFD) }
        walFD = -1
        if lockFD >= 0 { Glibc.close(lockFD) }
        lockFD = -1
    }

    private var snapshotURL: URL { directory.appendingPathComponent("snapshot.json") }
    private var walURL: URL { directory.appendingPathComponent("wal.jsonl") }

    /// Reads the snapshot and replays the log.
    func load() throws -> (revision: Int, objects: [String: [String: JSONValue]]) {
        var revision = 0
        var objects: [String: [String: JSONValue]] = [:]
        if let data = FileManager.default.contents(atPath: snapshotURL.path) {
            let snapshot: JSONValue
            do { snapshot = try JSONValue(jsonData: data) } catch {
                throw Failure(description: "\(snapshotURL.path) is not readable JSON (\(error)); move it away to start empty")
            }
            revision = snapshot["revision"]?.intValue ?? 0
            for (storeKey, list) in snapshot["objects"]?.objectValue ?? [:] {
                for o in list.arrayValue ?? [] {
                    objects[storeKey, default: [:]][ObjectStore.key(namespace: o.namespace, name: o.name ?? "")] = o
                }
            }
        }
        if let data = FileManager.default.contents(atPath: walURL.path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let entry = try? JSONValue(jsonBytes: Array(line)) else { continue }  // a torn final line
                guard let rv = entry["rv"]?.intValue, rv > revision, let storeKey = entry["resource"]?.stringValue else { continue }
                revision = rv
                if entry["op"]?.stringValue == "put", let o = entry["object"] {
                    objects[storeKey, default: [:]][ObjectStore.key(namespace: o.namespace, name: o.name ?? "")] = o
                } else if let key = entry["key"]?.stringValue {
                    objects[storeKey]?[key] = nil
                }
            }
        }
        try writeSnapshot(revision: revision, objects: objects)
        return (revision, objects)
    }

    /// Replaces the snapshot atomically and starts an empty log.
    func writeSnapshot(revision: Int, objects: [String: [String: JSONValue]]) throws {
        var byResource: [String: JSONValue] = [:]
        for (storeKey, byKey) in objects { byResource[storeKey] = .array(byKey.keys.sorted().compactMap { byKey[$0] }) }
        let snapshot: JSONValue = ["revision": .int(revision), "objects": .object(byResource)]
        let temp = directory.appendingPathComponent("snapshot.json.tmp")
        try writeDurably(snapshot.jsonBytes(), to: temp.path)
        guard rename(temp.path, snapshotURL.path) == 0 else {
            throw Failure(description: "cannot rename \(temp.path) to \(snapshotURL.path): \(String(cString: strerror(errno)))")
        }
        if walFD >= 0 { Glibc.close(walFD) }
        walFD = open(walURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        entriesSinceSnapshot = 0
        guard walFD >= 0 else { throw Failure(description: "cannot open \(walURL.path): \(String(cString: strerror(errno)))") }
        _ = fsync(walFD)
        syncDirectory()
    }

    /// Appends one change and waits until it is on disk.
    func append(_ entry: Entry) throws {
        guard walFD >= 0 else { throw Failure(description: "the write-ahead log \(walURL.path) is not open") }
        let bytes = entry.json.jsonBytes() + [UInt8(ascii: "\n")]
        try writeAll(walFD, bytes, path: walURL.path)
        guard fsync(walFD) == 0 else { throw Failure(description: "fsync \(walURL.path) failed: \(String(cString: strerror(errno)))") }
        entriesSinceSnapshot += 1
    }

    private func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        try writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw Failure(description: "fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(fd, base + offset, bytes.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "write to \(path) failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            Glibc.close(fd)
        }
    }
}
