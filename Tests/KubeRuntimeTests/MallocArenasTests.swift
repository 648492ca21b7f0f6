import KubeRuntime
import Testing

@Suite("malloc arenas of the long-running commands")
struct MallocArenasTests {
    @Test func limitsGlibcToFourArenas() {
        #expect(MallocArenas.apply(environment: [:]) == 4)
    }

    @Test func leavesItToMallocArenaMaxWhenSet() {
        #expect(MallocArenas.apply(environment: ["MALLOC_ARENA_MAX": "8"]) == nil)
    }
}
