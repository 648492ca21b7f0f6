import Foundation
import HTTPServer
import KubeCore

extension SandboxAPI {
    // MARK: Create

    func create(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        var object = try Self.decodeObject(request)
        try checkTypeMeta(&object, info)
        let manager = info.query["fieldManager"] ?? Self.defaultManager(request)
        let result = try store.sync { () -> JSONValue in
            try createLocked(info, object, manager: manager, dryRun: isDryRun(info))
        }
        return Self.json(201, present(result, as: info.type))
    }

    /// Creates `object` (already type-checked); runs inside the store lock.
    func createLocked(_ info: APIRequestInfo, _ input: JSONValue, manager: String, dryRun: Bool, managedFieldsDone: Bool = false) throws -> JSONValue {
        var object = input
        let d = info.type.descriptor
        if d.namespaced {
            let ns = info.namespace ?? ""
            if let given = object.namespace, !given.isEmpty, given != ns {
                throw APIStatus(code: 400, reason: .badRequest, message: "the namespace of the provided object does not match the namespace sent on the request")
            }
            object["metadata", "namespace"] = .string(ns)
            guard let namespace = store.get(ResourceType.namespaceStoreKey, namespace: nil, name: ns) else {
                throw APIStatus.notFound(resource: "namespaces", name: ns, kind: "namespaces")
            }
            if namespace.deletionTimestamp != nil {
                throw APIStatus(code: 403, reason: .forbidden, message: "\(d.plural) \"\(object.name ?? "")\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated",
                                details: ["name": .string(object.name ?? ""), "kind": .string(d.plural), "causes": [["reason": "NamespaceTerminating", "message": .string("namespace \(ns) is being terminated"), "field": "metadata.namespace"]]])
            }
        } else {
            object["metadata", "namespace"] = nil
        }
        if (object.name ?? "").isEmpty {
            guard let prefix = object["metadata", "generateName"]?.stringValue, !prefix.isEmpty else {
                throw APIStatus.invalid(kind: d.kind, name: "", group: d.group, causes: [("metadata.name", "Required value: name or generateName is required")])
            }
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            object["metadata", "name"] = .string(prefix + String((0..<5).map { _ in alphabet.randomElement() ?? "x" }))
        }
        let name = object.name ?? ""
        try validateName(name, info)
        if store.get(info.type.storeKey, namespace: object.namespace, name: name) != nil {
            throw APIStatus.alreadyExists(resource: d.plural, name: name, group: d.group)
        }
        object["metadata", "uid"] = .string(UUID().uuidString.lowercased())
        object["metadata", "creationTimestamp"] = .string(Age.nowTimestamp())
        object["metadata", "generation"] = info.type.tracksGeneration ? 1 : nil
        object["metadata", "resourceVersion"] = nil
        object["metadata", "deletionTimestamp"] = nil
        object["metadata", "deletionGracePeriodSeconds"] = nil
        if info.type.hasStatus && info.type.isCustom { object["status"] = nil }
        object = try ObjectDefaults.apply(object, type: info.type, registry: registry, strict: isStrict(info), old: nil)
        if !managedFieldsDone {
            object = FieldManager.update(old: nil, new: object, manager: manager, subresource: nil, now: Age.nowTimestamp(), schema: info.type.schema)
        }
        if dryRun { return object }
        let stored = try store.put(info.type.storeKey, object)
        afterWrite(info.type, stored)
        return stored
    }

    // MARK: Update

    func update(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        var object = try Self.decodeObject(request)
        try checkTypeMeta(&object, info)
        let manager = info.query["fieldManager"] ?? Self.defaultManager(request)
        let (result, created) = try store.sync { () -> (JSONValue, Bool) in
            let name = info.name ?? ""
            guard let existing = store.get(info.type.storeKey, namespace: info.namespace, name: name) else {
                if info.type.allowsCreateOnUpdate {
                    return (try createLocked(info, object, manager: manager, dryRun: isDryRun(info)), true)
                }
                throw notFound(info, name)
            }
            return (try updateLocked(info, existing: existing, new: object, manager: manager, dryRun: isDryRun(info)), false)
        }
        return Self.json(created ? 201 : 200, present(result, as: info.type))
    }

    /// Replaces `existing` with `new` following the API server's rules; runs inside the store lock.
    func updateLocked(_ info: APIRequestInfo, existing: JSONValue, new input: JSONValue, manager: String, dryRun: Bool,
                      managedFieldsDone: Bool = false) throws -> JSONValue {
        let d = info.type.descriptor
        let name = existing.name ?? ""
        if let given = input.name, !given.isEmpty, given != name {
            throw APIStatus(code: 400, reason: .badRequest, message: "the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        if let given = input.namespace, !given.isEmpty, d.namespaced, given != existing.namespace {
            throw APIStatus(code: 400, reason: .badRequest, message: "the namespace of the provided object does not match the namespace sent on the request")
        }
        if let rv = input.resourceVersion, !rv.isEmpty, rv != existing.resourceVersion {
            throw APIStatus.conflict(resource: d.plural, name: name, group: d.group)
        }
        if let uid = input.uid, !uid.isEmpty, uid != existing.uid {
            throw APIStatus.conflict(resource: d.plural, name: name, group: d.group,
                                     message: "Operation cannot be fulfilled on \(d.qualifiedName) \"\(name)\": Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing.uid ?? "")")
        }
        var object: JSONValue
        if info.subresource == "status" {
            object = existing
            object["status"] = input["status"]
            object["metadata", "managedFields"] = input["metadata", "managedFields"] ?? existing["metadata", "managedFields"]
        } else {
            object = input
            if info.type.hasStatus { object["status"] = existing["status"] }
        }
        for key in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name", "namespace"] {
            object["metadata", key] = existing["metadata", key]
        }
        object["metadata", "resourceVersion"] = existing["metadata", "resourceVersion"]
        object["apiVersion"] = existing["apiVersion"]
        object = try ObjectDefaults.apply(object, type: info.type, registry: registry, strict: isStrict(info), old: existing)
        if info.type.tracksGeneration && Self.specChanged(existing, object) {
            object["metadata", "generation"] = .int((existing.generation ?? 1) + 1)
        }
        if !managedFieldsDone {
            object = FieldManager.update(old: existing, new: object, manager: manager, subresource: info.subresource, now: Age.nowTimestamp(),
                                         schema: info.type.schema)
        }
        if existing.deletionTimestamp != nil, object.finalizers.isEmpty {
            if dryRun { return object }
            _ = try store.put(info.type.storeKey, object)
            let removed = try store.remove(info.type.storeKey, namespace: existing.namespace, name: name) ?? object
            try afterRemove(info.type, removed)
            try GarbageCollector(api: self).collect()
            return removed
        }
        // A write that changes nothing (ownership included) keeps the resourceVersion and sends no event.
        if object == existing { return existing }
        if dryRun { return object }
        let stored = try store.put(info.type.storeKey, object)
        afterWrite(info.type, stored)
        return stored
    }

    /// Whether anything but metadata and status differs: the API server's rule for bumping `generation`.
    static func specChanged(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var x = a, y = b
        for key in ["metadata", "status", "apiVersion", "kind"] {
            x[key] = nil
            y[key] = nil
        }
        return x != y
    }

    // MARK: Patch

    func patch(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let contentType = (request.header("Content-Type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let manager = info.query["fieldManager"] ?? Self.defaultManager(request)
        let name = info.name ?? ""
        let d = info.type.descriptor
        let (result, created) = try store.sync { () -> (JSONValue, Bool) in
            let existing = store.get(info.type.storeKey, namespace: info.namespace, name: name)
            switch contentType {
            case "application/apply-patch+yaml", "application/apply-patch+cbor":
                guard info.query["fieldManager"].map({ !$0.isEmpty }) == true else {
                    throw APIStatus(code: 422, reason: .invalid, message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
                }
                var applied = try Self.decodeApplyBody(request)
                try checkTypeMeta(&applied, info)
                if let given = applied.name, given != name {
                    throw APIStatus(code: 400, reason: .badRequest, message: "the name of the object (\(given)) does not match the name on the URL (\(name))")
                }
                let force = ["1", "true"].contains(info.query["force"] ?? "")
                if info.type.hasStatus && info.subresource == nil { applied["status"] = nil }
                if info.subresource == "status" { applied = Self.statusOnly(applied) }
                var merged = try FieldManager.apply(applied, to: existing.map { present($0, as: info.type) }, manager: manager, force: force,
                                                    subresource: info.subresource, now: Age.nowTimestamp(), schema: info.type.schema)
                guard let existing else {
                    if info.subresource != nil { throw notFound(info, name) }
                    merged["metadata", "name"] = .string(name)
                    return (try createLocked(info, merged, manager: manager, dryRun: isDryRun(info), managedFieldsDone: true), true)
                }
                merged["metadata", "resourceVersion"] = existing["metadata", "resourceVersion"]
                return (try updateLocked(info, existing: existing, new: merged, manager: manager, dryRun: isDryRun(info), managedFieldsDone: true), false)
            case "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json":
                guard let existing else { throw notFound(info, name) }
                let patch = try Self.decodeBody(request)
                var current = existing
                current = present(current, as: info.type)
                var patched: JSONValue
                switch contentType {
                case "application/merge-patch+json": patched = MergePatch.apply(patch, to: current)
                case "application/json-patch+json": patched = try JSONPatch.apply(patch, to: current)
                default:
                    if info.type.isCustom {
                        throw APIStatus(code: 415, reason: .unsupportedMediaType,
                                        message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
                    }
                    patched = try StrategicMergePatch.apply(patch, to: current)
                }
                guard patched.objectValue != nil else {
                    throw APIStatus(code: 422, reason: .invalid, message: "\(d.kind) \"\(name)\" is invalid: the patch turned the object into \(patched.typeName)")
                }
                if patched.apiVersion != current.apiVersion || patched.kind != current.kind {
                    throw APIStatus(code: 400, reason: .badRequest, message: "the patch must not change apiVersion or kind (\(current.apiVersion ?? "")/\(current.kind ?? ""))")
                }
                return (try updateLocked(info, existing: existing, new: patched, manager: manager, dryRun: isDryRun(info)), false)
            default:
                throw APIStatus(code: 415, reason: .unsupportedMediaType,
                                message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\(info.type.isCustom ? "" : ", application/strategic-merge-patch+json")")
            }
        }
        return Self.json(created ? 201 : 200, present(result, as: info.type))
    }

    /// What an apply through `/status` may set: type meta, name and namespace, and status.
    static func statusOnly(_ applied: JSONValue) -> JSONValue {
        var o: JSONValue = ["apiVersion": applied["apiVersion"] ?? .null, "kind": applied["kind"] ?? .null, "metadata": [:]]
        o["metadata", "name"] = applied["metadata", "name"]
        o["metadata", "namespace"] = applied["metadata", "namespace"]
        o["status"] = applied["status"]
        return o
    }

    /// An apply body: JSON, or YAML (one document).
    static func decodeApplyBody(_ request: HTTPRequest) throws -> JSONValue {
        let text = String(decoding: request.body, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return try decodeBody(request) }
        return try ApplyYAML.parse(text)
    }

    // MARK: Delete

    func delete(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let body = request.body.isEmpty ? JSONValue.object([:]) : try Self.decodeBody(request)
        let policy = info.query["propagationPolicy"] ?? body["propagationPolicy"]?.stringValue
            ?? (body["orphanDependents"]?.boolValue == true ? "Orphan" : "Background")
        guard ["Background", "Foreground", "Orphan"].contains(policy) else {
            throw APIStatus(code: 422, reason: .invalid, message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
        }
        let name = info.name ?? ""
        let result = try store.sync { () -> JSONValue in
            guard let existing = store.get(info.type.storeKey, namespace: info.namespace, name: name) else { throw notFound(info, name) }
            let d = info.type.descriptor
            if let uid = body["preconditions", "uid"]?.stringValue, uid != existing.uid {
                throw APIStatus.conflict(resource: d.plural, name: name, group: d.group,
                                         message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing.uid ?? "")")
            }
            if let rv = body["preconditions", "resourceVersion"]?.stringValue, rv != existing.resourceVersion {
                throw APIStatus.conflict(resource: d.plural, name: name, group: d.group,
                                         message: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(existing.resourceVersion ?? "")")
            }
            if isDryRun(info) { return existing }
            return try GarbageCollector(api: self).delete(info.type, existing, policy: policy)
        }
        let gone = store.get(info.type.storeKey, namespace: info.namespace, name: name).map { $0.uid != result.uid } ?? true
        if gone && !info.type.isCustom && !isDryRun(info) {
            // Built-in kinds answer an immediate deletion with a Success Status, custom resources with the object.
            return Self.json(200, [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
                "details": ["name": .string(name), "group": .string(info.type.descriptor.group),
                            "kind": .string(info.type.descriptor.plural), "uid": .string(result.uid ?? "")],
            ])
        }
        return Self.json(200, present(result, as: info.type))
    }

    func deleteCollection(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let selectors = try Selectors(info)
        let policy = info.query["propagationPolicy"] ?? "Background"
        let deleted = try store.sync { () -> [JSONValue] in
            let targets = store.list(info.type.storeKey, namespace: info.namespace).filter(selectors.matches)
            if isDryRun(info) { return targets }
            return try targets.map { try GarbageCollector(api: self).delete(info.type, $0, policy: policy) }
        }
        return Self.json(200, [
            "kind": .string("\(info.type.descriptor.kind)List"), "apiVersion": .string(info.type.descriptor.apiVersion),
            "metadata": ["resourceVersion": .string(String(store.revision))], "items": .array(deleted.map { present($0, as: info.type) }),
        ])
    }

    // MARK: Shared

    /// Fills in or checks `apiVersion` and `kind` against the URL.
    func checkTypeMeta(_ object: inout JSONValue, _ info: APIRequestInfo) throws {
        let d = info.type.descriptor
        if let apiVersion = object.apiVersion, !apiVersion.isEmpty, apiVersion != d.apiVersion {
            throw APIStatus(code: 400, reason: .badRequest,
                            message: "the API version in the data (\(apiVersion)) does not match the expected API version (\(d.apiVersion))")
        }
        if let kind = object.kind, !kind.isEmpty, kind != d.kind {
            throw APIStatus(code: 400, reason: .badRequest, message: "the kind in the data (\(kind)) does not match the expected kind (\(d.kind))")
        }
        object["apiVersion"] = .string(d.apiVersion)
        object["kind"] = .string(d.kind)
        if object["metadata"]?.objectValue == nil { object["metadata"] = [:] }
    }

    /// Name rules by kind, as the API server validates them: RBAC names are path segments (`system:viewer`),
    /// namespaces and services DNS-1123 labels, everything else DNS-1123 subdomains.
    func validateName(_ name: String, _ info: APIRequestInfo) throws {
        let d = info.type.descriptor
        let problem: String?
        if d.group == "rbac.authorization.k8s.io" {
            problem = name == "." || name == ".." || name.contains("/") || name.contains("%")
                ? "may not be '.' or '..' and may not contain '/' or '%'" : nil
        } else if d == .namespaces || d == .services {
            let ok = name.count <= 63 && name.first?.isLetter != false && Self.isDNSName(name, allowDots: false)
            problem = ok ? nil : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        } else {
            problem = name.count <= 253 && Self.isDNSName(name, allowDots: true) ? nil
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
        }
        if let problem {
            throw APIStatus.invalid(kind: d.kind, name: name, group: d.group, causes: [("metadata.name", "Invalid value: \"\(name)\": \(problem)")])
        }
    }

    private static func isDNSName(_ name: String, allowDots: Bool) -> Bool {
        let labels = allowDots ? name.split(separator: ".", omittingEmptySubsequences: false) : [Substring(name)]
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            let alnum: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
            return alnum(first) && alnum(last) && label.allSatisfy { alnum($0) || $0 == "-" }
        }
    }

    func isDryRun(_ info: APIRequestInfo) -> Bool { info.query["dryRun"] == "All" }

    func isStrict(_ info: APIRequestInfo) -> Bool { info.query["fieldValidation"] == "Strict" }

    /// The manager name the API server derives from the user agent (`kubectl-client-side-apply`, `kubectl`, ...).
    static func defaultManager(_ request: HTTPRequest) -> String {
        let agent = request.header("User-Agent") ?? "unknown"
        return String(agent.split(separator: "/").first ?? "unknown")
    }

    /// Hooks after a committed write: CRDs start serving, the cluster simulator reacts.
    func afterWrite(_ type: ResourceType, _ object: JSONValue) {
        if type.descriptor == ResourceDescriptor.customResourceDefinitions { registry.install(crd: object) }
        onWrite(type, object)
    }

    /// Hooks after an object is gone: a CRD stops serving and its objects are deleted.
    func afterRemove(_ type: ResourceType, _ object: JSONValue) throws {
        guard type.descriptor == ResourceDescriptor.customResourceDefinitions, let name = object.name else { return }
        if let storeKey = ResourceRegistry.types(of: object).first?.storeKey {
            for o in store.list(storeKey, namespace: nil) {
                try store.remove(storeKey, namespace: o.namespace, name: o.name ?? "")
            }
        }
        registry.uninstall(crdName: name)
    }
}

extension ResourceType {
    /// The store key of namespaces.
    static let namespaceStoreKey = "/namespaces"
}
