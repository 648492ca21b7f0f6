import KubeCore

/// `spec.database`: the PostgreSQL instance.
public struct DatabaseSpec: Sendable, Equatable {
    /// The PostgreSQL image.
    public var image: String
    /// The database the services use.
    public var databaseName: String
    /// The data volume.
    public var storage: DatabaseStorageSpec
    /// An existing Secret with `username` and `password`; `nil` means the operator generates one.
    public var credentialsSecretRef: SecretReference?
    /// Requests and limits of the container.
    public var resources: ResourceRequirements

    /// Creates a database spec; every argument defaults to ``PlatformDefaults``.
    public init(image: String = PlatformDefaults.image(for: .postgres), databaseName: String = PlatformDefaults.databaseName,
                storage: DatabaseStorageSpec = DatabaseStorageSpec(), credentialsSecretRef: SecretReference? = nil,
                resources: ResourceRequirements = .defaults(for: .postgres)) {
        self.image = image
        self.databaseName = databaseName
        self.storage = storage
        self.credentialsSecretRef = credentialsSecretRef
        self.resources = resources
    }
}

/// The PostgreSQL volume.
public struct DatabaseStorageSpec: Sendable, Equatable {
    /// The PVC size request.
    public var size: Quantity
    /// The StorageClass; `nil` uses the cluster default.
    public var storageClassName: String?
    /// Whether the PVC is deleted with the platform.
    public var deletionPolicy: DeletionPolicy

    /// Creates a storage spec; every argument defaults to ``PlatformDefaults``.
    public init(size: Quantity = .constant(PlatformDefaults.databaseStorageSize), storageClassName: String? = nil,
                deletionPolicy: DeletionPolicy = PlatformDefaults.databaseDeletionPolicy) {
        self.size = size
        self.storageClassName = storageClassName
        self.deletionPolicy = deletionPolicy
    }
}

/// What happens to a volume when the platform is deleted.
public enum DeletionPolicy: String, Sendable, CaseIterable {
    /// Keep the PVC (no owner reference): deleting the platform never deletes the data.
    case retain = "Retain"
    /// Delete the PVC with the platform (owner reference).
    case delete = "Delete"
}

/// A reference to a Secret in the platform's namespace.
public struct SecretReference: Sendable, Equatable {
    /// The Secret name.
    public var name: String

    /// Creates a reference.
    public init(name: String) { self.name = name }
}
