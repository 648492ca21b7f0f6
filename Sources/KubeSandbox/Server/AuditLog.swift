import Foundation
import HTTPServer
import KubeCore

/// An append-only JSON-lines record of every write request (POST, PUT, PATCH, DELETE) the API answered, and of
/// every denied request of any verb (401 Unauthorized, 403 Forbidden by RBAC, reads included): time, user, user
/// agent, field manager, verb, resource, object and status code. Benchmarks and chaos tests read it to see who
/// wrote what, and when (for example, two leaders writing at once); RBAC tests to see that nothing was denied.
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

    /// Appends the entry of one answered request: `info` is nil when the path is not a resource path (a 401 on
    /// discovery); `verb` is the metrics verb (`GET`, `LIST`, `APPLY`, ...); `user` is empty when unauthenticated.
    func record(_ request: HTTPRequest, _ info: APIRequestInfo?, verb: String, user: String, code: Int) {
        var entry: JSONValue = [
            "time": .string(Age.nowTimestamp()), "verb": .string(verb), "user": .string(user),
            "userAgent": .string(request.header("User-Agent") ?? ""), "code": .int(code),
            "group": .string(info?.type.descriptor.group ?? ""), "resource": .string(info?.type.descriptor.plural ?? ""),
        ]
        if info == nil { entry["path"] = .string(request.path) }
        entry["fieldManager"] = info?.query["fieldManager"].map(JSONValue.string)
        entry["namespace"] = info?.namespace.map(JSONValue.string)
        entry["name"] = info?.name.map(JSONValue.string)
        entry["subresource"] = info?.subresource.map(JSONValue.string)
        record(entry)
    }

    /// Appends one entry.
    private func record(_ entry: JSONValue) {
        var line = entry.jsonBytes()
        line.append(UInt8(ascii: "\n"))
        lock.withLock {
            do { try handle.write(contentsOf: line) } catch {
                FileHandle.standardError.write(Data("sandbox: cannot append to the audit log \(path): \(error)\n".utf8))
            }
        }
    }
}
