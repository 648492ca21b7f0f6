import Foundation
import HTTPServer
import KubeCore

extension SandboxAPI {
    /// The label and field selectors of a list or watch, plus the name of a single-object watch.
    struct Selectors {
        var labels = LabelSelector.everything
        var fields = FieldSelector.everything

        init(_ info: APIRequestInfo) throws {
            if let text = info.query["labelSelector"], !text.isEmpty {
                do { labels = try LabelSelector(parsing: text) } catch let error as LabelSelector.ParseError { throw error.status }
            }
            if let text = info.query["fieldSelector"], !text.isEmpty {
                fields = try FieldSelector(parsing: text, kind: info.type.descriptor.kind)
            }
            if let name = info.name {
                fields.requirements.append(.init(field: "metadata.name", value: name, negated: false))
            }
        }

        func matches(_ object: JSONValue) -> Bool { labels.matches(object.labels) && fields.matches(object) }
    }

    /// The object as served at the requested version (custom resources are stored once for all versions).
    func present(_ object: JSONValue, as type: ResourceType) -> JSONValue {
        var o = object
        o["apiVersion"] = .string(type.descriptor.apiVersion)
        o["kind"] = .string(type.descriptor.kind)
        return o
    }

    func notFound(_ info: APIRequestInfo, _ name: String) -> APIStatus {
        APIStatus.notFound(resource: info.type.descriptor.plural, name: name, group: info.type.descriptor.group, kind: info.type.descriptor.plural)
    }

    func get(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let name = info.name ?? ""
        guard let object = store.get(info.type.storeKey, namespace: info.namespace, name: name) else { throw notFound(info, name) }
        let presented = present(object, as: info.type)
        if wantsTable(request) {
            return Self.json(200, table(info.type, [presented], resourceVersion: object.resourceVersion ?? "", includeObject: info.query["includeObject"]))
        }
        return Self.json(200, presented)
    }

    func list(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let selectors = try Selectors(info)
        let (all, revision) = store.sync { (store.list(info.type.storeKey, namespace: info.namespace), store.revision) }
        var items = all.filter(selectors.matches)
        var meta: JSONValue = ["resourceVersion": .string(String(revision))]
        if let token = info.query["continue"], !token.isEmpty {
            guard let data = Data(base64Encoded: token), let start = try? JSONValue(jsonData: data), let after = start["start"]?.stringValue else {
                throw APIStatus(code: 400, reason: .badRequest, message: "continue key is not valid: \(token); start the list again without continue")
            }
            if let rv = start["rv"]?.intValue, store.sync({ rv < store.compactedRevision }) {
                throw APIStatus(code: 410, reason: .expired, message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
            }
            items = items.filter { $0.objectKey > after }
        }
        if let limitText = info.query["limit"], let limit = Int(limitText), limit > 0, items.count > limit {
            let remaining = items.count - limit
            items = Array(items.prefix(limit))
            let token: JSONValue = ["rv": .int(revision), "start": .string(items.last?.objectKey ?? "")]
            meta["continue"] = .string(token.jsonData().base64EncodedString())
            meta["remainingItemCount"] = .int(remaining)
        }
        let presented = items.map { present($0, as: info.type) }
        if wantsTable(request) {
            var t = table(info.type, presented, resourceVersion: String(revision), includeObject: info.query["includeObject"])
            t["metadata"] = meta
            return Self.json(200, t)
        }
        return Self.json(200, [
            "kind": .string("\(info.type.descriptor.kind)List"), "apiVersion": .string(info.type.descriptor.apiVersion),
            "metadata": meta, "items": .array(presented),
        ])
    }

    /// A watch: newline-delimited JSON events streamed as they happen, bookmarks when asked, 410 as an ERROR
    /// event for a resourceVersion older than the retained history.
    func watch(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let selectors = try Selectors(info)
        let rvText = info.query["resourceVersion"] ?? ""
        var from: Int?
        let initialEvents = info.query["sendInitialEvents"] == "true"
        if !rvText.isEmpty && rvText != "0" && !initialEvents {
            guard let rv = Int(rvText) else {
                throw APIStatus(code: 400, reason: .badRequest, message: "invalid resource version \"\(rvText)\": expected an integer")
            }
            from = rv
        }
        let asTable = wantsTable(request)
        let type = info.type
        let bookmarks = ["1", "true"].contains(info.query["allowWatchBookmarks"] ?? "")
        let timeout = info.query["timeoutSeconds"].flatMap(Double.init) ?? Double.random(in: 1800...3600)
        let includeObject = info.query["includeObject"]
        let contentType = asTable ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json"
        let subscribed: (initial: [WatchEvent], subscription: WatchSubscription)
        do {
            subscribed = try store.subscribe(type.storeKey, namespace: info.namespace, from: from)
        } catch let status as APIStatus where status.code == 410 {
            let event: JSONValue = ["type": "ERROR", "object": status.json]
            return HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: .stream { writer in
                writer.write(event.jsonBytes() + [10])
            })
        }
        let metrics = self.metrics
        let store = self.store
        return HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: .stream { [self] writer in
            metrics.watchStarted()
            defer {
                store.unsubscribe(subscribed.subscription)
                metrics.watchEnded()
            }
            let deadline = Date().addingTimeInterval(timeout)
            var sentColumns = false
            var lastBookmark = Date()
            func send(_ type: String, _ object: JSONValue) -> Bool {
                var payload = object
                if asTable {
                    payload = table(info.type, [object], resourceVersion: object.resourceVersion ?? "", includeObject: includeObject)
                    if sentColumns { payload["columnDefinitions"] = .array([]) }
                    sentColumns = true
                }
                let event: JSONValue = ["type": .string(type), "object": payload]
                return writer.write(event.jsonBytes() + [10])
            }
            func deliver(_ events: [WatchEvent]) -> Bool {
                for e in events {
                    let now = selectors.matches(e.object)
                    let before = e.previous.map(selectors.matches) ?? false
                    let object = present(e.object, as: type)
                    switch e.kind {
                    case .added where now: if !send("ADDED", object) { return false }
                    case .modified where now && before: if !send("MODIFIED", object) { return false }
                    case .modified where now && !before: if !send("ADDED", object) { return false }
                    case .modified where !now && before: if !send("DELETED", object) { return false }
                    case .deleted where now: if !send("DELETED", object) { return false }
                    default: continue
                    }
                }
                return true
            }
            guard deliver(subscribed.initial) else { return }
            if initialEvents && bookmarks {
                // The end of the initial state, as a WatchList client expects it.
                let mark: JSONValue = ["kind": .string(type.descriptor.kind), "apiVersion": .string(type.descriptor.apiVersion),
                                       "metadata": ["resourceVersion": .string(String(store.revision)),
                                                    "annotations": ["k8s.io/initial-events-end": "true"]]]
                guard writer.write((["type": "BOOKMARK", "object": mark] as JSONValue).jsonBytes() + [10]) else { return }
            }
            while Date() < deadline {
                let (events, closed) = subscribed.subscription.next(timeout: min(1, max(0.01, deadline.timeIntervalSinceNow)))
                guard deliver(events), !closed, writer.isOpen else { return }
                if bookmarks, Date().timeIntervalSince(lastBookmark) >= 5 {
                    lastBookmark = Date()
                    let mark: JSONValue = ["kind": .string(type.descriptor.kind), "apiVersion": .string(type.descriptor.apiVersion),
                                           "metadata": ["resourceVersion": .string(String(store.revision))]]
                    guard writer.write((["type": "BOOKMARK", "object": mark] as JSONValue).jsonBytes() + [10]) else { return }
                }
            }
        })
    }
}
