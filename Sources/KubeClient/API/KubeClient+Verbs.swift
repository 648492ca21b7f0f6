import KubeCore

extension KubeClient {
    /// `GET` one object.
    public func get(_ resource: ResourceDescriptor, name: String, namespace: String? = nil) async throws -> JSONValue {
        try await perform(APIRequest(method: "GET", path: resource.path(namespace: self.namespace(for: resource, explicit: namespace), name: name)))
    }

    /// `GET` one page of the collection (`namespace: nil` lists all namespaces).
    public func list(_ resource: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> ObjectList {
        let json = try await perform(APIRequest(method: "GET", path: resource.path(namespace: namespace), query: options.queryItems))
        guard let items = json["items"]?.arrayValue else {
            throw KubeClientError.invalidResponse("list of \(resource) has no items array")
        }
        let filled = items.map { item -> JSONValue in
            var item = item
            if item.apiVersion == nil { item["apiVersion"] = .string(resource.apiVersion) }
            if item.kind == nil { item["kind"] = .string(resource.kind) }
            return item
        }
        let token = json["metadata", "continue"]?.stringValue
        return ObjectList(items: filled, resourceVersion: json["metadata", "resourceVersion"]?.stringValue ?? "",
                          continueToken: token?.isEmpty == false ? token : nil)
    }

    /// Every page of the collection, following `continue` tokens (`options.limit` is the page size).
    public func listAll(_ resource: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> ObjectList {
        var options = options
        var all = ObjectList(items: [], resourceVersion: "")
        while true {
            let page = try await list(resource, namespace: namespace, options: options)
            all.items += page.items
            all.resourceVersion = page.resourceVersion
            guard let next = page.continueToken else { return all }
            options.continueToken = next
        }
    }

    /// `POST` a new object.
    public func create(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String? = nil,
                       options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let ns = self.namespace(for: resource, explicit: namespace, object: object)
        return try await perform(APIRequest(method: "POST", path: resource.path(namespace: ns), query: options.queryItems,
                                            body: Self.withTypeMeta(object, resource)))
    }

    /// `PUT` the whole object (its `metadata.resourceVersion`, if set, guards against lost updates: 409 Conflict).
    public func update(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String? = nil,
                       options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await put(resource, object, namespace: namespace, subresource: nil, options: options)
    }

    /// `PUT` the object's status through the `/status` subresource.
    public func updateStatus(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String? = nil,
                             options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await put(resource, object, namespace: namespace, subresource: "status", options: options)
    }

    /// `DELETE` one object. Returns what the server answers: the object (when finalizers delay deletion) or a
    /// `Status`.
    @discardableResult
    public func delete(_ resource: ResourceDescriptor, name: String, namespace: String? = nil,
                       options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        let path = resource.path(namespace: self.namespace(for: resource, explicit: namespace), name: name)
        return try await perform(APIRequest(method: "DELETE", path: path, body: options.json))
    }

    /// `PATCH` one object (or its `subresource`, e.g. `status`).
    public func patch(_ resource: ResourceDescriptor, name: String, namespace: String? = nil, _ patch: Patch,
                      subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let path = resource.path(namespace: self.namespace(for: resource, explicit: namespace), name: name, subresource: subresource)
        return try await perform(APIRequest(method: "PATCH", path: path, query: options.queryItems, body: patch.body, contentType: patch.contentType))
    }

    /// `PATCH` the `/status` subresource.
    public func patchStatus(_ resource: ResourceDescriptor, name: String, namespace: String? = nil, _ patch: Patch,
                            options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await self.patch(resource, name: name, namespace: namespace, patch, subresource: "status", options: options)
    }

    /// Server-side apply: sends `object` (the fields this manager wants to own, nothing else) as
    /// `application/apply-patch+yaml` with `fieldManager`; fields the manager applied before and leaves out now
    /// are removed. With `force`, fields owned by other managers are taken over instead of failing with 409.
    public func apply(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String? = nil,
                      fieldManager: String, force: Bool = false, subresource: String? = nil,
                      dryRun: Bool = false) async throws -> JSONValue {
        guard let name = object.name, !name.isEmpty else {
            throw KubeClientError.invalidArgument("apply needs metadata.name in the object (\(resource)); set it")
        }
        guard !fieldManager.isEmpty else {
            throw KubeClientError.invalidArgument("apply needs a fieldManager (\(resource) \(name)); pass the controller's name")
        }
        var query: [(String, String)] = [("fieldManager", fieldManager)]
        if force { query.append(("force", "true")) }
        if dryRun { query.append(("dryRun", "All")) }
        let path = resource.path(namespace: self.namespace(for: resource, explicit: namespace, object: object), name: name, subresource: subresource)
        return try await perform(APIRequest(method: "PATCH", path: path, query: query, body: Self.withTypeMeta(object, resource),
                                            contentType: "application/apply-patch+yaml"))
    }

    /// Server-side apply of the `/status` subresource.
    public func applyStatus(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String? = nil,
                            fieldManager: String, force: Bool = false) async throws -> JSONValue {
        try await apply(resource, object, namespace: namespace, fieldManager: fieldManager, force: force, subresource: "status")
    }

    private func put(_ resource: ResourceDescriptor, _ object: JSONValue, namespace: String?, subresource: String?,
                     options: WriteOptions) async throws -> JSONValue {
        guard let name = object.name, !name.isEmpty else {
            throw KubeClientError.invalidArgument("update needs metadata.name in the object (\(resource)); set it")
        }
        let path = resource.path(namespace: self.namespace(for: resource, explicit: namespace, object: object), name: name, subresource: subresource)
        return try await perform(APIRequest(method: "PUT", path: path, query: options.queryItems, body: Self.withTypeMeta(object, resource)))
    }

    /// `object` with `apiVersion` and `kind` set from `resource` when missing (never adds anything else).
    static func withTypeMeta(_ object: JSONValue, _ resource: ResourceDescriptor) -> JSONValue {
        var object = object
        if object.apiVersion == nil { object["apiVersion"] = .string(resource.apiVersion) }
        if object.kind == nil { object["kind"] = .string(resource.kind) }
        return object
    }
}
