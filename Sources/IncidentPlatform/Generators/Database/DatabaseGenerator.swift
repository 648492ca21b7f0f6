import KubeCore

/// PostgreSQL: a PersistentVolumeClaim, a one-replica `Recreate` Deployment and a Service on 5432. When Prometheus
/// runs, the pod also has a postgres_exporter sidecar on 9187 (`metrics`), scraped as the job `postgres`.
enum DatabaseGenerator {
    /// The `postgres` user of the Alpine images (uid and gid 70).
    static let runAsUser = 70
    /// Where the volume is mounted.
    static let mountPath = "/var/lib/postgresql/data"
    /// `PGDATA`: a subdirectory of the mount, because a fresh volume's root may hold `lost+found` and initdb
    /// refuses a non-empty directory.
    static let dataDirectory = "\(mountPath)/pgdata"
    /// The PostgreSQL port.
    static let port = ServiceGenerator.databasePort
    /// The postgres_exporter sidecar's metrics port.
    static let exporterPort = 9187

    /// Whether the pod runs the postgres_exporter sidecar (and is scraped): only when Prometheus runs.
    static func exporterEnabled(_ platform: IncidentPlatform) -> Bool { platform.spec.monitoring.prometheus.enabled }

    /// The postgres_exporter sidecar: connects over the loopback to the pod's own server, with the credentials
    /// Secret's username and password (`DATA_SOURCE_URI`, `DATA_SOURCE_USER`, `DATA_SOURCE_PASS`).
    static func exporterContainer(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> JSONValue {
        let secret = SecretGenerator.databaseSecretName(platform, meta)
        // No probes: a failing scrape shows as `pg_up 0` or `up 0`, and restarting the sidecar would not help.
        let container: JSONValue = [
            "name": "postgres-exporter",
            "image": .string(PlatformDefaults.postgresExporterImage),
            "imagePullPolicy": "IfNotPresent",
            "args": [.string("--web.listen-address=:\(exporterPort)"), "--web.telemetry-path=/metrics"],
            "ports": [Workload.port("metrics", exporterPort)],
            "env": [
                Workload.env("DATA_SOURCE_URI", "127.0.0.1:\(port)/\(platform.spec.database.databaseName)?sslmode=disable"),
                Workload.env("DATA_SOURCE_USER", secret: secret, key: SecretGenerator.usernameKey),
                Workload.env("DATA_SOURCE_PASS", secret: secret, key: SecretGenerator.passwordKey),
            ],
            "resources": [
                "requests": ["cpu": "10m", "memory": "32Mi"],
                "limits": ["cpu": "100m", "memory": "64Mi"],
            ],
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [PodSecurity.tmpMount],
        ]
        return container
    }

    /// Every object of the database.
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let storage = platform.spec.database.storage
        return [
            Workload.persistentVolumeClaim(.postgres, meta, size: storage.size, storageClassName: storage.storageClassName,
                                           owned: storage.deletionPolicy == .delete),
            deployment(platform, meta),
            Workload.service(.postgres, meta, portName: "postgres", port: port),
        ]
    }

    /// `pg_isready` against the local server, through a shell so that the user and database come from the env.
    static let readyCommand: JSONValue = [
        "sh", "-c", .string("exec pg_isready -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\" -h 127.0.0.1 -p \(port)"),
    ]

    private static func execProbe(period: Int, failureThreshold: Int) -> JSONValue {
        [
            "exec": ["command": readyCommand],
            "periodSeconds": .int(period),
            "timeoutSeconds": 5,
            "failureThreshold": .int(failureThreshold),
            "successThreshold": 1,
        ]
    }

    static func deployment(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> JSONValue {
        let database = platform.spec.database
        let secret = SecretGenerator.databaseSecretName(platform, meta)
        let container: JSONValue = [
            "name": "postgres",
            "image": .string(database.image),
            "imagePullPolicy": "IfNotPresent",
            "ports": [Workload.port("postgres", port)],
            "env": [
                Workload.env("POSTGRES_USER", secret: secret, key: SecretGenerator.usernameKey),
                Workload.env("POSTGRES_PASSWORD", secret: secret, key: SecretGenerator.passwordKey),
                Workload.env("POSTGRES_DB", database.databaseName),
                Workload.env("PGDATA", dataDirectory),
            ],
            "resources": database.resources.json,
            "startupProbe": execProbe(period: 5, failureThreshold: 60),
            "readinessProbe": execProbe(period: 10, failureThreshold: 3),
            "livenessProbe": execProbe(period: 20, failureThreshold: 6),
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [
                Workload.mount("data", mountPath),
                Workload.mount("run", "/var/run/postgresql"),
                PodSecurity.tmpMount,
            ],
        ]
        let monitored = exporterEnabled(platform)
        let annotations: JSONValue? = monitored ? [
            "prometheus.io/scrape": "true",
            "prometheus.io/port": .string(String(exporterPort)),
            "prometheus.io/path": "/metrics",
        ] : nil
        return Workload.singletonDeployment(.postgres, meta, podAnnotations: annotations, podSpec: [
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "securityContext": PodSecurity.restrictedPod(user: runAsUser),
            "terminationGracePeriodSeconds": 60,
            "containers": .array([container] + (monitored ? [exporterContainer(platform, meta)] : [])),
            "volumes": [
                Workload.claimVolume("data", claim: meta.name(PlatformComponent.postgres.componentName)),
                ["name": "run", "emptyDir": [:]],
                PodSecurity.tmpVolume,
            ],
        ])
    }
}
