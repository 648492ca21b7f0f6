import Foundation
import KubeCore

/// An append-only JSON-lines record of every write request (POST, PUT, PATCH, DELETE) the API answered:
/// time, user, user agent, field manager, verb, resource, object and status code. Benchmarks and chaos tests
/// read it to see who wrote what, and when (for example, two leaders writing at once).
final class AuditLog: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle
    let path: String

    /// Opens (creating) `url` for appending.
    init(url: URL) throws {
        path = url.path
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// Appends one entry.
    func record(_ entry: JSONValue) {
        var line = entry.jsonBytes()
        line.append(UInt8(ascii: "\n"))
        lock.withLock {
            do { try handle.write(contentsOf: line) } catch {
                FileHandle.standardError.write(Data("sandbox: cannot append to the audit log \(path): \(error)\n".utf8))
            }
        }
    }
}
