import Testing
@testable import IncidentCore

@Suite struct SeverityTests {
    static let alertLabelRows: [(String, Severity)] = [
        ("critical", .critical), ("crit", .critical), ("emergency", .critical), ("fatal", .critical), ("page", .critical),
        ("p1", .critical), ("sev1", .critical),
        ("high", .high), ("error", .high), ("err", .high), ("major", .high), ("p2", .high), ("sev2", .high),
        ("warning", .medium), ("warn", .medium), ("medium", .medium), ("moderate", .medium), ("p3", .medium), ("sev3", .medium),
        ("low", .low), ("info", .low), ("informational", .low), ("notice", .low), ("minor", .low), ("none", .low),
        ("p4", .low), ("p5", .low), ("sev4", .low), ("sev5", .low),
    ]

    @Test(arguments: alertLabelRows)
    func alertLabelMapsEveryRow(label: String, expected: Severity) {
        #expect(Severity.fromAlertLabel(label) == expected)
        #expect(Severity.fromAlertLabel(label.uppercased()) == expected)
        #expect(Severity.fromAlertLabel("  \(label)\t\n") == expected)
    }

    @Test(arguments: [nil, "", "   ", "urgent", "p0", "sev6", "crit ical", "warningx"] as [String?])
    func absentOrUnknownAlertLabelIsMedium(label: String?) {
        #expect(Severity.fromAlertLabel(label) == .medium)
    }

    @Test func everyNonMediumSeverityIsReachableFromALabel() {
        let reached = Set(Self.alertLabelRows.map(\.1))
        #expect(reached == Set(Severity.allCases))
    }

    @Test(arguments: [("critical", Severity.critical), ("error", .high), ("warning", .medium), ("info", .low)])
    func pagerDutyMapsEveryRow(value: String, expected: Severity) {
        #expect(Severity.fromPagerDuty(value) == expected)
    }

    @Test(arguments: ["", "high", "low", "medium", "Critical", "crit", " info", "warn"])
    func pagerDutyRejectsAnythingElse(value: String) {
        #expect(Severity.fromPagerDuty(value) == nil)
    }
}
