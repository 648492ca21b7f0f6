import Dispatch
#if canImport(Glibc)
import Glibc
import Locking
#endif

/// Turns process signals into a ``ShutdownSignal``, like controller-runtime's `SetupSignalHandler`.
///
/// ```swift
/// let shutdown = SignalHandling.shutdownSignal()          // SIGTERM and SIGINT
/// await controller.run(reconcile: r, context: ctx, until: shutdown)
/// ```
///
/// A `sigaction` handler writes the signal number to a pipe (async-signal-safe); a `DispatchSource`
/// reading the pipe delivers it. This works whatever threads exist already, which a signal
/// `DispatchSource` alone does not guarantee on Linux.
public enum SignalHandling {
    /// A signal that triggers on the first of `signals` (SIGTERM and SIGINT by default). When
    /// `exitOnSecondSignal` is true (the default) a second signal exits the process at once with status 1,
    /// for a user who does not want to wait.
    public static func shutdownSignal(on signals: [Int32] = [SIGTERM, SIGINT], exitOnSecondSignal: Bool = true) -> ShutdownSignal {
        let shutdown = ShutdownSignal()
        let received = Locked(0)
        SignalPipe.subscribe(to: Set(signals)) { sig in
            let count = received.withLock { n -> Int in
                n += 1
                return n
            }
            if count > 1, exitOnSecondSignal { exit(1) }
            shutdown.trigger(reason: "received signal \(name(of: sig))")
        }
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

/// The self-pipe between the C signal handler and Dispatch.
private enum SignalPipe {
    /// The pipe's write end; set once, before any handler is installed.
    nonisolated(unsafe) static var writeFD: Int32 = -1

    private struct State {
        var readSource: DispatchSourceRead?
        var installed: Set<Int32> = []
        var subscribers: [(signals: Set<Int32>, deliver: @Sendable (Int32) -> Void)] = []
    }

    private static let state = Locked(State())

    /// The handler: one byte per signal, nothing else (async-signal-safe).
    private static let handler: @convention(c) (Int32) -> Void = { sig in
        var byte = UInt8(truncatingIfNeeded: sig)
        _ = write(SignalPipe.writeFD, &byte, 1)
    }

    static func subscribe(to signals: Set<Int32>, _ deliver: @escaping @Sendable (Int32) -> Void) {
        state.withLock { s in
            if s.readSource == nil { s.readSource = makePipe() }
            s.subscribers.append((signals, deliver))
            for sig in signals where !s.installed.contains(sig) {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = handler
                action.sa_flags = SA_RESTART
                sigemptyset(&action.sa_mask)
                sigaction(sig, &action, nil)
                s.installed.insert(sig)
            }
        }
    }

    private static func makePipe() -> DispatchSourceRead? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        writeFD = fds[1]
        let readFD = fds[0]
        let source = DispatchSource.makeReadSource(fileDescriptor: readFD, queue: DispatchQueue(label: "incident-operator.signals"))
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = read(readFD, &buffer, buffer.count)
            guard n > 0 else { return }
            let subscribers = state.withLock { $0.subscribers }
            for byte in buffer[0..<n] {
                let sig = Int32(byte)
                for s in subscribers where s.signals.contains(sig) { s.deliver(sig) }
            }
        }
        source.resume()
        return source
    }
}
