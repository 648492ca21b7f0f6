import Testing

@Test func HTTPServerTargetBuilds() {
    #expect(Bool(true))
}
