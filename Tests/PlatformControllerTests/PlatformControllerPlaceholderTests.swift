import Testing

@Test func PlatformControllerTargetBuilds() {
    #expect(Bool(true))
}
