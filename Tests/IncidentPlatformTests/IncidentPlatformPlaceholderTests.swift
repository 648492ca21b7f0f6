import Testing

@Test func IncidentPlatformTargetBuilds() {
    #expect(Bool(true))
}
