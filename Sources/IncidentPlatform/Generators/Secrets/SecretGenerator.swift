import KubeCore

/// The Secrets the operator can generate: PostgreSQL credentials, the Grafana admin login and the services' API token.
enum SecretGenerator {
    /// Annotation on generated Secrets: the controller creates them once and never overwrites them.
    static let createOnceAnnotation = "incidentops.io/create-once"
    /// Keys of the database credentials Secret (also what a `credentialsSecretRef` must hold).
    static let usernameKey = "username"
    static let passwordKey = "password"
    /// Keys of the Grafana admin Secret (also what an `adminSecretRef` must hold).
    static let adminUserKey = "admin-user"
    static let adminPasswordKey = "admin-password"
    /// The key of the API token Secret (also what an `apiTokenSecretRef` must hold).
    static let apiTokenKey = "token"
    /// The length of a generated API token: 48 characters of 62 symbols, about 286 bits.
    static let apiTokenLength = 48
    /// The database user the generated credentials name.
    static let databaseUser = "incidentops"

    /// The name of the database credentials Secret the pods read: the user's, or `<platform>-postgres-credentials`.
    static func databaseSecretName(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> String {
        platform.spec.database.credentialsSecretRef?.name ?? meta.name("postgres-credentials")
    }

    /// The name of the Grafana admin Secret: the user's, or `<platform>-grafana-admin`.
    static func grafanaSecretName(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> String {
        platform.spec.monitoring.grafana.adminSecretRef?.name ?? meta.name("grafana-admin")
    }

    /// The name of the API token Secret the four services read: the user's, or `<platform>-api-token`.
    static func apiTokenSecretName(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> String {
        platform.spec.apiTokenSecretRef?.name ?? meta.name("api-token")
    }

    /// Every Secret the platform needs, generated or referenced.
    static func requirements(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [SecretRequirement] {
        var list = [SecretRequirement(
            name: databaseSecretName(platform, meta), keys: [usernameKey, passwordKey],
            generated: platform.spec.database.credentialsSecretRef == nil, purpose: "PostgreSQL credentials")]
        if platform.spec.monitoring.grafana.enabled {
            list.append(SecretRequirement(
                name: grafanaSecretName(platform, meta), keys: [adminUserKey, adminPasswordKey],
                generated: platform.spec.monitoring.grafana.adminSecretRef == nil, purpose: "Grafana admin login"))
        }
        list.append(SecretRequirement(
            name: apiTokenSecretName(platform, meta), keys: [apiTokenKey],
            generated: platform.spec.apiTokenSecretRef == nil, purpose: "API token of the services"))
        if AlertmanagerGenerator.isEnabled(platform) {
            var secrets: [String: [String]] = [:], order: [String] = []
            for receiver in platform.spec.alerting.receivers {
                for ref in receiver.target.secretKeys {
                    if secrets[ref.name] == nil { order.append(ref.name) }
                    if secrets[ref.name, default: []].contains(ref.key) == false { secrets[ref.name, default: []].append(ref.key) }
                }
            }
            for name in order {
                list.append(SecretRequirement(name: name, keys: secrets[name] ?? [], generated: false,
                                              purpose: "Alertmanager receiver credentials"))
            }
        }
        return list
    }

    /// The generated Secrets (none for `.omit`, none for a Secret the user references).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata, mode: SecretMode) -> [JSONValue] {
        guard case .generate(let source) = mode else { return [] }
        var objects: [JSONValue] = []
        if platform.spec.database.credentialsSecretRef == nil {
            // The credentials belong with the data: under `deletionPolicy: Retain` they outlive the platform like the
            // volume does, so a platform re-created over the retained volume keeps the password it was made with.
            let owned = platform.spec.database.storage.deletionPolicy == .delete
            objects.append(secret(meta.name("postgres-credentials"), .postgres, meta, owned: owned, data: [
                usernameKey: .string(databaseUser), passwordKey: .string(source.password()),
            ]))
        }
        if platform.spec.monitoring.grafana.enabled && platform.spec.monitoring.grafana.adminSecretRef == nil {
            objects.append(secret(meta.name("grafana-admin"), meta.labels(.grafana), meta, owned: true, data: [
                adminUserKey: "admin", adminPasswordKey: .string(source.password()),
            ]))
        }
        if platform.spec.apiTokenSecretRef == nil {
            // Shared by the four services, so it is labelled for none of them; owned: it goes with the platform.
            objects.append(secret(meta.name("api-token"), meta.labels(name: "api-token", role: "credentials"), meta, owned: true,
                                  data: [apiTokenKey: .string(source.password(length: apiTokenLength))]))
        }
        return objects
    }

    private static func secret(_ name: String, _ component: PlatformComponent, _ meta: ChildMetadata, owned: Bool,
                               data: [String: JSONValue]) -> JSONValue {
        secret(name, meta.labels(component), meta, owned: owned, data: data)
    }

    private static func secret(_ name: String, _ labels: JSONValue, _ meta: ChildMetadata, owned: Bool,
                               data: [String: JSONValue]) -> JSONValue {
        ChildMetadata.object(
            .secrets,
            meta.metadata(name: name, labels: labels, owned: owned, annotations: [createOnceAnnotation: "true"]),
            ["type": "Opaque", "stringData": .object(data)])
    }
}
