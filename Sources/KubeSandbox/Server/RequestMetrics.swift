import Foundation

/// Request counters by verb, resource and code, served at `/metrics` as
/// `apiserver_request_total{verb="LIST",resource="configmaps",code="200"} 3`.
final class RequestMetrics: @unchecked Sendable {
    private struct Key: Hashable { var verb: String; var group: String; var resource: String; var subresource: String; var code: Int }
    private let lock = NSLock()
    private var counts: [Key: Int] = [:]
    private var watchersOpen = 0

    func record(verb: String, group: String, resource: String, subresource: String, code: Int) {
        lock.withLock { counts[Key(verb: verb, group: group, resource: resource, subresource: subresource, code: code), default: 0] += 1 }
    }

    func watchStarted() { lock.withLock { watchersOpen += 1 } }
    func watchEnded() { lock.withLock { watchersOpen -= 1 } }

    /// The Prometheus text exposition.
    func render(objectCounts: [String: Int]) -> String {
        lock.withLock {
            var out = "# HELP apiserver_request_total Counter of API requests broken out by verb, group, resource, subresource and HTTP response code.\n"
            out += "# TYPE apiserver_request_total counter\n"
            let sorted = counts.sorted { a, b in
                (a.key.resource, a.key.verb, a.key.code, a.key.group, a.key.subresource) < (b.key.resource, b.key.verb, b.key.code, b.key.group, b.key.subresource)
            }
            for (k, v) in sorted {
                out += "apiserver_request_total{code=\"\(k.code)\",group=\"\(k.group)\",resource=\"\(k.resource)\",subresource=\"\(k.subresource)\",verb=\"\(k.verb)\"} \(v)\n"
            }
            out += "# HELP apiserver_registered_watchers Number of currently open watches.\n# TYPE apiserver_registered_watchers gauge\n"
            out += "apiserver_registered_watchers \(watchersOpen)\n"
            out += "# HELP apiserver_storage_objects Number of stored objects by resource.\n# TYPE apiserver_storage_objects gauge\n"
            for (r, n) in objectCounts.sorted(by: { $0.key < $1.key }) { out += "apiserver_storage_objects{resource=\"\(r)\"} \(n)\n" }
            return out
        }
    }
}
