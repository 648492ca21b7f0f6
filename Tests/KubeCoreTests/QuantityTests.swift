import Testing
@testable import KubeCore

@Suite struct QuantityTests {
    @Test(arguments: [
        ("10Gi", "10Gi", Int128(10) * 1024 * 1024 * 1024),
        ("500m", "500m", 1),
        ("1.5", "1500m", 2),
        ("1e3", "1e3", 1000),
        ("100Mi", "100Mi", Int128(100) * 1024 * 1024),
        ("2k", "2k", 2000),
        ("0.5Gi", "512Mi", Int128(512) * 1024 * 1024),
        ("1024Mi", "1Gi", Int128(1024) * 1024 * 1024),
        ("1000m", "1", 1),
        ("1536", "1536", 1536),
        ("1.5Ki", "1536", 1536),
        ("100", "100", 100),
        ("0", "0", 0),
        ("+2", "2", 2),
        ("-1", "-1", -1),
        (".5", "500m", 1),
        ("5E-3", "5e-3", 1),
        ("1000k", "1M", 1_000_000),
        ("1n", "1n", 1),
        ("2u", "2u", 1),
        ("1E", "1E", 1_000_000_000_000_000_000),
    ])
    func parsesAndCanonicalizes(_ input: String, _ canonical: String, _ value: Int128) throws {
        let q = try Quantity(parsing: input)
        #expect(q.description == canonical)
        #expect(q.value == value)
        #expect(try Quantity(parsing: canonical) == q)
    }

    @Test func milliValueRoundsUp() throws {
        #expect(try Quantity(parsing: "500m").milliValue == 500)
        #expect(try Quantity(parsing: "0.1m").milliValue == 1)
        #expect(try Quantity(parsing: "2").milliValue == 2000)
    }

    @Test func comparesByValue() throws {
        #expect(try Quantity(parsing: "1Gi") > Quantity(parsing: "1G"))
        #expect(try Quantity(parsing: "512Mi") == Quantity(parsing: "0.5Gi"))
        #expect(try Quantity(parsing: "100m") < Quantity(parsing: "0.2"))
        #expect(try Quantity(parsing: "1") == Quantity(units: 1))
        #expect(try [Quantity(parsing: "2Gi"), Quantity(parsing: "1Mi"), Quantity(parsing: "3k")].sorted().map(\.description) == ["3k", "1Mi", "2Gi"])
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("abc", "it does not start with a number"),
        ("1gi", #"unknown suffix "gi" (suffixes are case-sensitive: Ki Mi Gi Ti Pi Ei, n u m k M G T P E)"#),
        ("10 Gi", "it contains whitespace"),
        ("1.2.3", #"unknown suffix ".3" (suffixes are case-sensitive: Ki Mi Gi Ti Pi Ei, n u m k M G T P E)"#),
        ("1e", #"the exponent "e" is not a small integer"#),
        ("1e999999", #"the exponent "e999999" is not a small integer"#),
        ("99999999999999999999999999999999999", "it is too large"),
        ("1e30", "it is too large"),
        ("-", "it does not start with a number"),
        (".", "it does not start with a number"),
    ])
    func rejectsGarbageWithAReason(_ input: String, _ reason: String) {
        #expect(throws: QuantityParseError(input: input, reason: reason)) { try Quantity(parsing: input) }
    }

    @Test func errorMessageSaysWhatIsExpected() {
        let error = QuantityParseError(input: "x", reason: "it does not start with a number")
        #expect(error.description == #"invalid quantity "x": it does not start with a number; expected a number with an optional suffix like 500m, 2, 1.5, 100Mi, 10Gi or 1e3"#)
    }
}
