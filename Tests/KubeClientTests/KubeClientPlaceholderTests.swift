import Testing

@Test func KubeClientTargetBuilds() {
    #expect(Bool(true))
}
