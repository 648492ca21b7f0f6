import Foundation
#if os(Linux)
import CMalloc
#endif

/// The number of glibc malloc arenas of the long-running commands.
///
/// glibc gives a process up to 8 arenas per core, and a thread keeps allocating in the arena it got. The
/// operator's threads (Swift's pool, Dispatch workers, one thread per watch) spread its short-lived allocations
/// over all of them, and the freed memory each arena keeps adds up: in the 10-minute soak on 2 cores (16 arenas)
/// the free memory held by the arenas grew from 3.0 to 5.6 MiB while the memory in use stayed near 6 MiB, and RSS
/// grew 10 % over the last half; with 2 arenas 1–3 %, with 4 arenas 3 % (docs/reliability.md). 4, not 2: with 2,
/// Dispatch started one more worker late in 3 of 4 soaks (threads wait for an arena's lock), which fails the soak's
/// thread check. Many-threaded servers on glibc are commonly run with `MALLOC_ARENA_MAX=2`–`4` for the same reason.
public enum MallocArenas {
    /// The arena limit set unless the environment sets `MALLOC_ARENA_MAX`.
    public static let limit: Int32 = 4
    /// Limits glibc's arenas to ``limit`` (call it before the process starts threads) unless `MALLOC_ARENA_MAX`
    /// is set in `environment` (glibc reads that itself). Returns the limit it set, nil when it set none.
    @discardableResult
    public static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32? {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return nil }
        #if os(Linux)
        return mallopt(M_ARENA_MAX, limit) == 1 ? limit : nil
        #else
        return nil
        #endif
    }
}
