import Foundation
import Testing
@testable import KubeRuntime

/// The heap trimmer gives memory that glibc keeps after a burst back to the kernel.
@Suite("Heap trimmer")
struct HeapTrimmerTests {
    /// The resident set size, in bytes (/proc/self/statm).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return try #require(Int(statm[1])) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func trimReturnsFreedChunksThatGlibcKept() throws {
        // A burst: 64 MiB in 2 KiB blocks, every 64th kept, so the freed rest cannot shrink the heap's top.
        let blocks = (0..<32_768).map { _ -> UnsafeMutableRawPointer in
            let p = UnsafeMutableRawPointer.allocate(byteCount: 2048, alignment: 16)
            p.initializeMemory(as: UInt8.self, repeating: 1, count: 2048)
            return p
        }
        var kept: [UnsafeMutableRawPointer] = []
        for (i, p) in blocks.enumerated() { if i % 64 == 0 { kept.append(p) } else { p.deallocate() } }
        defer { for p in kept { p.deallocate() } }

        #expect(HeapTrimmer.freeHeapBytes > 32 << 20, "glibc holds the freed blocks")
        let before = try Self.residentBytes()
        #expect(HeapTrimmer.trim())
        let after = try Self.residentBytes()
        #expect(before - after > 16 << 20, "resident \(before >> 20) MiB before the trim, \(after >> 20) MiB after")
    }
}
