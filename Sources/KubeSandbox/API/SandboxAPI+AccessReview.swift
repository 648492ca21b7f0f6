import HTTPServer
import KubeCore

extension SandboxAPI {
    /// `SelfSubjectAccessReview` (`kubectl auth can-i`) and `SubjectAccessReview`: answers whether the user may
    /// do what `spec.resourceAttributes` describes, with the same RBAC rules as ``RBACAuthorizer``. Nothing is stored.
    func accessReview(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        var review = try Self.decodeObject(request)
        try checkTypeMeta(&review, info)
        let subject = info.type.descriptor.kind == "SelfSubjectAccessReview" ? user(request) : (review["spec", "user"]?.stringValue ?? "")
        guard let attributes = review["spec", "resourceAttributes"] else {
            review["status"] = ["allowed": false, "reason": "only resourceAttributes are evaluated by the sandbox"]
            return Self.json(201, review)
        }
        let resource = [attributes["resource"]?.stringValue, attributes["subresource"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
        let allowed = subject == RBACAuthorizer.superuser || !options.enforceRBAC || RBACAuthorizer(store: store).allowed(
            user: subject, verb: attributes["verb"]?.stringValue ?? "", group: attributes["group"]?.stringValue ?? "",
            resource: resource, namespace: attributes["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
            name: attributes["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        review["status"] = allowed ? ["allowed": true, "reason": "allowed by the sandbox's RBAC objects"] : ["allowed": false]
        return Self.json(201, review)
    }
}
