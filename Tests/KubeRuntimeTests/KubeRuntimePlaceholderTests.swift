import Testing

@Test func KubeRuntimeTargetBuilds() {
    #expect(Bool(true))
}
