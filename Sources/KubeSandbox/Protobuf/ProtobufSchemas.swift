/// The protobuf layouts (from k8s.io/api `generated.proto`) of the types client-go's typed clients send as
/// `application/vnd.kubernetes.protobuf`: what `kubectl create namespace|configmap|secret|serviceaccount` and
/// Helm's release storage (Secrets) write, and DeleteOptions.
enum ProtobufSchemas {
    static let time = ProtobufSchema(fields: [:])

    static let ownerReference = ProtobufSchema(fields: [
        1: .string("kind"), 3: .string("name"), 4: .string("uid"), 5: .string("apiVersion"),
        6: .bool("controller"), 7: .bool("blockOwnerDeletion"),
    ])

    static let objectMeta = ProtobufSchema(fields: [
        1: .string("name"), 2: .string("generateName"), 3: .string("namespace"), 5: .string("uid"),
        6: .string("resourceVersion"), 7: .int("generation"), 8: .time("creationTimestamp"), 9: .time("deletionTimestamp"),
        10: .int("deletionGracePeriodSeconds"), 11: .stringMap("labels"), 12: .stringMap("annotations"),
        13: .repeatedMessage("ownerReferences", ownerReference), 14: .repeatedString("finalizers"),
    ])

    static let localObjectReference = ProtobufSchema(fields: [1: .string("name")])

    /// By `apiVersion/kind`.
    static let byKind: [String: ProtobufSchema] = [
        "v1/Secret": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta), 2: .bytesMap("data"), 3: .string("type"), 4: .stringMap("stringData"), 5: .bool("immutable"),
        ]),
        "v1/ConfigMap": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta), 2: .stringMap("data"), 3: .bytesMap("binaryData"), 4: .bool("immutable"),
        ]),
        "v1/Namespace": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta), 2: .message("spec", ProtobufSchema(fields: [1: .repeatedString("finalizers")])),
            3: .message("status", ProtobufSchema(fields: [1: .string("phase")])),
        ]),
        "v1/ServiceAccount": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta), 3: .repeatedMessage("imagePullSecrets", localObjectReference),
            4: .bool("automountServiceAccountToken"),
        ]),
        "coordination.k8s.io/v1/Lease": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta),
            2: .message("spec", ProtobufSchema(fields: [1: .string("holderIdentity"), 2: .int("leaseDurationSeconds"), 5: .int("leaseTransitions")])),
        ]),
        "authorization.k8s.io/v1/SelfSubjectAccessReview": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta), 2: .message("spec", ProtobufSchema(fields: [1: .message("resourceAttributes", resourceAttributes)])),
        ]),
        "authorization.k8s.io/v1/SubjectAccessReview": ProtobufSchema(fields: [
            1: .message("metadata", objectMeta),
            2: .message("spec", ProtobufSchema(fields: [1: .message("resourceAttributes", resourceAttributes), 3: .string("user"), 4: .repeatedString("groups")])),
        ]),
        "meta.k8s.io/v1/DeleteOptions": deleteOptions,
        "v1/DeleteOptions": deleteOptions,
    ]

    static let resourceAttributes = ProtobufSchema(fields: [
        1: .string("namespace"), 2: .string("verb"), 3: .string("group"), 4: .string("version"), 5: .string("resource"),
        6: .string("subresource"), 7: .string("name"),
    ])

    static let deleteOptions = ProtobufSchema(fields: [
        1: .int("gracePeriodSeconds"),
        2: .message("preconditions", ProtobufSchema(fields: [1: .string("uid"), 2: .string("resourceVersion")])),
        3: .bool("orphanDependents"), 4: .string("propagationPolicy"), 5: .repeatedString("dryRun"),
    ])
}
