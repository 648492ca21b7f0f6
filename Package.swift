// swift-tools-version:6.0
// incident-operator: a Kubernetes operator for the IncidentPlatform custom resource.
// No package dependencies: Foundation, Dispatch, Glibc (and its malloc.h) and libcurl (system library) only.
import PackageDescription

let package = Package(
    name: "incident-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "incident-operator", targets: ["IncidentOperatorCLI"]),
    ],
    targets: [
        // Core Kubernetes types: JSONValue, YAML, quantities, durations, conditions, API Status errors.
        .target(name: "KubeCore"),
        // libcurl, as a system library (Debian: libcurl4-openssl-dev).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The Kubernetes API client: transport, kubeconfig, every verb, watch streams.
        .target(name: "KubeClient", dependencies: ["KubeCore", "CCurl"]),
        // glibc's malloc.h (malloc_trim, mallinfo2): part of the C library, nothing extra is linked.
        .systemLibrary(name: "CMalloc"),
        // Controller runtime: informers, work queue, controller builder, leader election.
        .target(name: "KubeRuntime", dependencies: ["KubeCore", "KubeClient", "CMalloc"]),
        // A small HTTP/1.1 server on Glibc sockets (sandbox API, /metrics, /healthz).
        .target(name: "HTTPServer"),
        // The local Kubernetes API sandbox.
        .target(name: "KubeSandbox", dependencies: ["KubeCore", "HTTPServer"]),
        // The IncidentPlatform API: spec types, defaulting, validation, pure generators, the CRD.
        .target(name: "IncidentPlatform", dependencies: ["KubeCore"]),
        // The IncidentPlatform reconciler.
        .target(name: "PlatformController", dependencies: ["KubeCore", "KubeClient", "KubeRuntime", "IncidentPlatform", "HTTPServer"]),
        // The `incident-operator` command line.
        .executableTarget(
            name: "IncidentOperatorCLI",
            dependencies: ["KubeCore", "KubeClient", "KubeRuntime", "HTTPServer", "KubeSandbox", "IncidentPlatform", "PlatformController"]
        ),

        .testTarget(name: "KubeCoreTests", dependencies: ["KubeCore"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeSandbox"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeRuntimeTests", dependencies: ["KubeRuntime", "KubeSandbox"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "KubeSandboxTests", dependencies: ["KubeSandbox", "KubeCore"]),
        .testTarget(name: "IncidentPlatformTests", dependencies: ["IncidentPlatform", "KubeCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PlatformControllerTests", dependencies: ["PlatformController", "KubeSandbox", "KubeClient"]),
        .testTarget(name: "CLITests", dependencies: ["IncidentOperatorCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
