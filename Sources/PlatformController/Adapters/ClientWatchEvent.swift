import KubeClient

/// The client's watch event (the module and its main class share the name `KubeClient`, and KubeRuntime has a
/// `WatchEvent` of its own, so this file, which imports only the client, names it).
typealias ClientWatchEvent = WatchEvent
