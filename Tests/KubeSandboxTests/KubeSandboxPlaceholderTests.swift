import Testing

@Test func KubeSandboxTargetBuilds() {
    #expect(Bool(true))
}
