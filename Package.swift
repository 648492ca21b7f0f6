// swift-tools-version:6.0
// Two products, no package dependencies (Foundation, Dispatch, Glibc, libcurl and OpenSSL as system libraries):
//   incident-operator  — the Kubernetes operator for the IncidentPlatform custom resource;
//   incident-platform  — the platform's own services (alert-ingestion, incident-management, oncall-service, web-ui).
import PackageDescription

let package = Package(
    name: "incident-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "incident-operator", targets: ["IncidentOperatorCLI"]),
        .executable(name: "incident-platform", targets: ["IncidentPlatformCLI"]),
    ],
    targets: [
        // MARK: Shared by both products
        // One lock type for shared mutable state (`Locked<Value>`).
        .target(name: "Locking"),
        // Structured JSON/text logging with redaction of credentials.
        .target(name: "Logging", dependencies: ["Locking", "TextSupport"]),
        // Prometheus metrics: counters, gauges, histograms, the text exposition, process metrics.
        .target(name: "Metrics", dependencies: ["Locking", "TextSupport"]),
        // Whitespace trimming and JSON string literals, for code that parses or writes text by hand.
        .target(name: "TextSupport"),
        // SIGTERM/SIGINT as a `ShutdownSignal`.
        .target(name: "Signals", dependencies: ["Locking"]),
        // A small HTTP/1.1 server on Glibc sockets (the sandbox API, the services' APIs, /metrics, /healthz).
        .target(name: "HTTPServer", dependencies: ["Locking", "TextSupport"]),
        // OpenSSL's libssl and libcrypto, as a system library (Debian: libssl-dev).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // SHA-256, HMAC, PBKDF2, secure random bytes and constant-time comparison, from OpenSSL's libcrypto.
        .target(name: "Hashing", dependencies: ["COpenSSL"]),

        // MARK: incident-operator
        // Core Kubernetes types: JSONValue, YAML, quantities, durations, conditions, API Status errors.
        .target(name: "KubeCore"),
        // libcurl, as a system library (Debian: libcurl4-openssl-dev).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The Kubernetes API client: transport, kubeconfig, every verb, watch streams.
        .target(name: "KubeClient", dependencies: ["KubeCore", "CCurl"]),
        // glibc's malloc.h (malloc_trim, mallinfo2): part of the C library, nothing extra is linked.
        .systemLibrary(name: "CMalloc"),
        // Controller runtime: informers, work queue, controller builder, leader election.
        .target(name: "KubeRuntime", dependencies: ["KubeCore", "KubeClient", "CMalloc", "Locking", "Logging", "Metrics", "Signals"]),
        // The local Kubernetes API sandbox.
        .target(name: "KubeSandbox", dependencies: ["KubeCore", "HTTPServer"]),
        // The IncidentPlatform API: spec types, defaulting, validation, pure generators, the CRD.
        .target(name: "IncidentPlatform", dependencies: ["KubeCore"]),
        // The IncidentPlatform reconciler.
        .target(name: "PlatformController", dependencies: ["KubeCore", "KubeClient", "KubeRuntime", "IncidentPlatform", "HTTPServer", "Locking", "Logging", "Metrics", "Signals"]),
        // The `incident-operator` command line.
        .executableTarget(
            name: "IncidentOperatorCLI",
            dependencies: ["KubeCore", "KubeClient", "KubeRuntime", "HTTPServer", "KubeSandbox", "IncidentPlatform", "PlatformController", "Logging", "Metrics", "Signals"]
        ),

        // MARK: incident-platform (never imports a Kube* module)
        // A PostgreSQL client: protocol v3, SCRAM-SHA-256/md5, TLS (libpq sslmodes), bound parameters, a pool.
        .target(name: "PostgresClient", dependencies: ["COpenSSL", "Hashing", "Locking"]),
        // The incident rules, pure: severities, transitions, dedup keys, Alertmanager and PagerDuty payloads.
        .target(name: "IncidentCore", dependencies: ["Hashing", "TextSupport"]),
        // The incidents in PostgreSQL: schema migrations and the queries.
        .target(name: "IncidentStore", dependencies: ["IncidentCore", "PostgresClient", "Logging"]),
        // The four services' HTTP APIs: routing, auth, rate limits, metrics, request logs, graceful shutdown.
        .target(name: "PlatformServices", dependencies: ["IncidentCore", "IncidentStore", "PostgresClient", "HTTPServer", "Hashing", "Locking", "Logging", "Metrics", "Signals", "TextSupport"]),
        // The `incident-platform` command line.
        .executableTarget(name: "IncidentPlatformCLI", dependencies: ["PlatformServices", "Logging"]),
        // Test support: a throwaway PostgreSQL server (unprivileged, temp dir, free 127.0.0.1 port).
        .target(name: "PostgresTestSupport", dependencies: ["PostgresClient"]),

        // MARK: Tests
        .testTarget(name: "KubeCoreTests", dependencies: ["KubeCore"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeSandbox"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeRuntimeTests", dependencies: ["KubeRuntime", "KubeSandbox", "Locking", "Logging", "Metrics", "Signals"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "KubeSandboxTests", dependencies: ["KubeSandbox", "KubeCore"]),
        .testTarget(name: "IncidentPlatformTests", dependencies: ["IncidentPlatform", "KubeCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PlatformControllerTests", dependencies: ["PlatformController", "KubeSandbox", "KubeClient", "KubeRuntime", "Logging", "Metrics", "Signals"]),
        .testTarget(name: "CLITests", dependencies: ["IncidentOperatorCLI"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "PostgresTestSupport", "Hashing"]),
        .testTarget(name: "IncidentCoreTests", dependencies: ["IncidentCore"]),
        .testTarget(name: "PlatformServicesTests", dependencies: ["PlatformServices", "IncidentStore", "IncidentCore", "PostgresClient", "PostgresTestSupport", "HTTPServer"]),
    ],
    swiftLanguageModes: [.v6]
)
