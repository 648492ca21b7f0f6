import KubeSandbox

/// Fault settings the watch tests use.
enum SandboxFaultsFactory {
    /// Watches closed every 0.5 s and the history dropped every second (so resumes get 410 and relist).
    static func interruptions() -> SandboxFaults {
        var f = SandboxFaults()
        f.watchCloseInterval = 0.5
        f.compactInterval = 1
        return f
    }
}
