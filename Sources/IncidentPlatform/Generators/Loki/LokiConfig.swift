import KubeCore

/// The Loki single-binary configuration: filesystem storage under the PVC mounted at `/loki`, TSDB index,
/// retention enforced by the compactor.
enum LokiConfig {
    /// Where the Loki PVC is mounted.
    static let dataPath = "/loki"
    /// Loki's HTTP port.
    static let httpPort = 3100

    /// The configuration as a JSON value (emitted as YAML into the ConfigMap).
    /// - Parameter retention: a Loki duration such as `168h` or `7d`.
    static func document(retention: String) -> JSONValue {
        [
            "auth_enabled": false,
            "server": ["http_listen_port": .int(httpPort), "grpc_listen_port": 9095, "log_level": "info"],
            "common": [
                "instance_addr": "127.0.0.1",
                "path_prefix": .string(dataPath),
                "replication_factor": 1,
                "ring": ["kvstore": ["store": "inmemory"]],
                "storage": [
                    "filesystem": [
                        "chunks_directory": .string("\(dataPath)/chunks"),
                        "rules_directory": .string("\(dataPath)/rules"),
                    ]
                ],
            ],
            "schema_config": [
                "configs": [[
                    "from": "2024-01-01", "store": "tsdb", "object_store": "filesystem", "schema": "v13",
                    "index": ["prefix": "index_", "period": "24h"],
                ]]
            ],
            "limits_config": [
                "retention_period": .string(retention),
                "reject_old_samples": true,
                "reject_old_samples_max_age": "168h",
                "allow_structured_metadata": true,
            ],
            "compactor": [
                "working_directory": .string("\(dataPath)/compactor"),
                "retention_enabled": true,
                "delete_request_store": "filesystem",
                "compaction_interval": "10m",
                "retention_delete_delay": "2h",
            ],
            "analytics": ["reporting_enabled": false],
        ]
    }
}
