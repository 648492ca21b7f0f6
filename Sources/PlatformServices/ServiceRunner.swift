import Dispatch
import FoundationEssentials
import HTTPServer
import IncidentStore
import Locking
import Logging
import PostgresClient
import Signals
#if canImport(Glibc)
import Glibc
#endif

/// Runs one service until SIGTERM or SIGINT: listen, migrate the schema in the background (the API answers 503
/// until it is done, so a database that starts after the service is waited for, not crashed on), serve, then
/// stop gracefully: stop accepting, finish requests in flight, close the pool, exit 0.
public enum ServiceRunner {
    /// Serves `configuration` until `shutdown` triggers; returns the process exit status.
    public static func run(_ configuration: ServiceConfiguration, logger: Logger,
                           shutdown: ShutdownSignal = SignalHandling.shutdownSignal()) async -> Int32 {
        let log = logger.named(configuration.component.rawValue)
        let pool = configuration.database.map {
            PostgresPool(configuration: $0, maxConnections: configuration.poolSize, acquireTimeoutSeconds: 5)
        }
        let service = PlatformService(configuration: configuration, pool: pool, logger: log)
        let server = HTTPServer(options: service.serverOptions) { service.handle($0) }
        let port: Int
        do {
            port = try server.start()
        } catch {
            log.error("cannot listen", ["error": .error(error)])
            return 1
        }
        log.info("serving", ["component": .string(configuration.component.rawValue), "address": .string(configuration.listenAddress),
                             "port": .int(port)])
        let exitStatus = Locked<Int32>(0)
        if let pool {
            // Blocking database calls: on a Dispatch thread, not on the cooperative pool.
            DispatchQueue.global().async {
                migrate(pool, service, log, shutdown: shutdown) { reason in
                    exitStatus.withLock { $0 = 1 }
                    shutdown.trigger(reason: reason)
                }
            }
        }
        await shutdown.wait()
        log.info("shutting down", ["reason": .string(shutdown.reason)])
        server.stop()
        pool?.close()
        log.info("stopped")
        return exitStatus.withLock { $0 }
    }

    /// Applies the migrations, retrying every 2 s while the database cannot be reached; a database newer than
    /// this binary is fatal.
    static func migrate(_ pool: PostgresPool, _ service: PlatformService, _ log: Logger, shutdown: ShutdownSignal,
                        fatal: @Sendable (String) -> Void) {
        var attempt = 0
        while !shutdown.isTriggered {
            attempt += 1
            do {
                let applied = try pool.withConnection { try Migrator().migrate($0) }
                service.markMigrated()
                log.info("database schema ready", ["version": .int(SchemaMigrations.latestVersion), "applied": .string("\(applied)")])
                return
            } catch let failure as Migrator.Failure {
                log.error("cannot migrate the database schema", ["error": .string(failure.description)])
                fatal("migration failed: \(failure)")
                return
            } catch {
                // Logged at the first attempt and then every 30 s, not on every retry.
                if attempt == 1 || attempt % 15 == 0 {
                    log.warn("waiting for the database", ["error": .error(error), "attempt": .int(attempt)])
                }
                _ = usleep(2_000_000)
            }
        }
    }
}
