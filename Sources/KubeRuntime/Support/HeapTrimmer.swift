#if os(Linux)
import CMalloc
#endif

/// Gives freed heap memory back to the kernel after bursts of work (see also ``MallocArenas``).
///
/// glibc keeps freed memory in its arenas for reuse; after a burst (a restarted operator listing 53,000
/// children, a thousand platforms converging) about 20 MB of it stays resident although nothing uses it.
/// ``run(every:threshold:)`` checks now and then and calls `malloc_trim(0)` when enough is free, like Go's
/// scavenger. It lowers the settled RSS, not the peak. On other systems than Linux (glibc) it does nothing.
public enum HeapTrimmer {
    /// Bytes glibc holds in free chunks (0 where that is unknown).
    public static var freeHeapBytes: Int {
        #if os(Linux)
        return Int(mallinfo2().fordblks)
        #else
        return 0
        #endif
    }

    /// Releases free heap pages to the kernel; true when some memory was released.
    @discardableResult
    public static func trim() -> Bool {
        #if os(Linux)
        return malloc_trim(0) == 1
        #else
        return false
        #endif
    }

    /// Until the calling task is cancelled: every `interval`, trims when more than `threshold` bytes are free.
    public static func run(every interval: Duration = .seconds(30), threshold: Int = 16 << 20) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            if freeHeapBytes > threshold { trim() }
        }
    }
}
