import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns process signals into a ``ShutdownSignal``, like controller-runtime's `SetupSignalHandler`.
///
/// ```swift
/// let shutdown = SignalHandling.shutdownSignal()          // SIGTERM and SIGINT
/// await controller.run(reconcile: r, context: ctx, until: shutdown)
/// ```
public enum SignalHandling {
    private static let sources = Locked<[DispatchSourceSignal]>([])

    /// A signal that triggers on the first of `signals` (SIGTERM and SIGINT by default). The default
    /// handlers of those signals are disabled. When `exitOnSecondSignal` is true (the default) a second
    /// signal exits the process at once with status 1, for a user who does not want to wait.
    public static func shutdownSignal(on signals: [Int32] = [SIGTERM, SIGINT], exitOnSecondSignal: Bool = true) -> ShutdownSignal {
        let shutdown = ShutdownSignal()
        let received = Locked(0)
        let queue = DispatchQueue(label: "incident-operator.signals")
        var made: [DispatchSourceSignal] = []
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                let count = received.withLock { n -> Int in
                    n += 1
                    return n
                }
                if count > 1, exitOnSecondSignal { exit(1) }
                shutdown.trigger(reason: "received signal \(name(of: sig))")
            }
            source.resume()
            made.append(source)
        }
        sources.withLock { $0.append(contentsOf: made) }
        return shutdown
    }

    /// `SIGTERM`, `SIGINT`, ... for logs.
    static func name(of sig: Int32) -> String {
        switch sig {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        case SIGUSR1: return "SIGUSR1"
        case SIGUSR2: return "SIGUSR2"
        default: return "signal \(sig)"
        }
    }
}
