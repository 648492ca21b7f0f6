import Testing
@testable import IncidentCore

@Suite struct IncidentListQueryTests {
    @Test func defaults() throws {
        #expect(try IncidentListQuery.parse([:]) == IncidentListQuery(status: nil, severity: nil, limit: 50, cursor: nil))
    }

    @Test func everyParameter() throws {
        let query = try IncidentListQuery.parse([
            "status": "acknowledged", "severity": "critical", "limit": "200", "cursor": IncidentCursor.encode(1234),
            "unrelated": "ignored",
        ])
        #expect(query == IncidentListQuery(status: .acknowledged, severity: .critical, limit: 200, cursor: 1234))
        #expect(try IncidentListQuery.parse(["limit": "1"]).limit == 1)
    }

    @Test func emptyValuesCountAsAbsent() throws {
        #expect(try IncidentListQuery.parse(["status": "", "severity": "", "limit": "", "cursor": ""]) == IncidentListQuery())
    }

    @Test(arguments: [
        ("status", "open"), ("status", "Triggered"), ("severity", "warning"), ("severity", "p1"),
        ("limit", "0"), ("limit", "201"), ("limit", "-1"), ("limit", "+5"), ("limit", "ten"), ("limit", "1e2"),
        ("limit", " 5"), ("limit", "99999999999999999999999"), ("cursor", "42"), ("cursor", "aWQ6NDI="),
    ])
    func badParameterIsInvalidAndNamed(name: String, value: String) {
        let error = validationError { _ = try IncidentListQuery.parse([name: value]) }
        #expect(error?.kind == .invalid)
        #expect(error?.field == name)
        #expect(error?.message.hasPrefix(name) == true)
    }

    @Test func unknownStatusListsTheAllowedValues() {
        let error = validationError { _ = try IncidentListQuery.parse(["status": "open"]) }
        #expect(error?.message == #"status must be one of triggered, acknowledged or resolved, not "open""#)
    }
}
