import FoundationEssentials
import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics, read from `/proc/self` at scrape time (Linux; nothing elsewhere).
public enum ProcessMetrics {
    /// Adds the process collector to `registry`: `process_cpu_seconds_total`, `process_resident_memory_bytes`,
    /// `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`, `process_start_time_seconds`.
    public static func register(in registry: MetricsRegistry) {
        registry.addCollector { collect() }
    }

    /// The current values (empty when `/proc/self/stat` cannot be read).
    public static func collect() -> [CollectedMetric] {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let stats = parseStat(stat)
        else { return [] }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        var out: [CollectedMetric] = [
            CollectedMetric(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                            type: .counter, value: (stats.utime + stats.stime) / ticks),
            CollectedMetric(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.",
                            type: .gauge, value: stats.rssPages * pageSize),
            CollectedMetric(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.",
                            type: .gauge, value: stats.vsize),
        ]
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            out.append(CollectedMetric(name: "process_open_fds", help: "Number of open file descriptors.",
                                       type: .gauge, value: Double(fds.count)))
        }
        var limit = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 {
            out.append(CollectedMetric(name: "process_max_fds", help: "Maximum number of open file descriptors.",
                                       type: .gauge, value: Double(limit.rlim_cur)))
        }
        if let procStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
           let boot = bootTime(procStat) {
            out.append(CollectedMetric(name: "process_start_time_seconds",
                                       help: "Start time of the process since unix epoch in seconds.",
                                       type: .gauge, value: boot + stats.startTicks / ticks))
        }
        return out.sorted { $0.name < $1.name }
        #else
        return []
        #endif
    }

    #if os(Linux)
    private static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #endif

    /// The fields of `/proc/self/stat` this collector uses; `nil` if the text is not in that format.
    static func parseStat(_ text: String) -> (utime: Double, stime: Double, startTicks: Double, vsize: Double, rssPages: Double)? {
        // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state): field n is fields[n - 3].
        func field(_ n: Int) -> Double? { n - 3 < fields.count ? Double(fields[n - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24)
        else { return nil }
        return (utime, stime, start, vsize, rss)
    }

    /// `btime` (boot time, seconds since the epoch) from `/proc/stat`.
    static func bootTime(_ procStat: String) -> Double? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingWhitespace())
        }
        return nil
    }
}
