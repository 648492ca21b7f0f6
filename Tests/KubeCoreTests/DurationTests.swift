import Testing
@testable import KubeCore

@Suite struct DurationTests {
    @Test(arguments: [
        ("15s", 15_000, "15s"),
        ("1m30s", 90_000, "1m30s"),
        ("90s", 90_000, "1m30s"),
        ("15d", 15 * 86_400_000, "15d"),
        ("2w", 14 * 86_400_000, "2w"),
        ("14d", 14 * 86_400_000, "2w"),
        ("1h", 3_600_000, "1h"),
        ("1y", 365 * 86_400_000, "1y"),
        ("500ms", 500, "500ms"),
        ("1h30m15s250ms", 5_415_250, "1h30m15s250ms"),
        ("0", 0, "0s"),
        ("0s", 0, "0s"),
        ("8d", 8 * 86_400_000, "8d"),
    ])
    func parsesAndFormats(_ input: String, _ ms: Int, _ formatted: String) throws {
        let d = try PromDuration(parsing: input)
        #expect(d.milliseconds == ms)
        #expect(d.description == formatted)
        #expect(try PromDuration(parsing: formatted) == d)
    }

    @Test func compares() throws {
        #expect(try PromDuration(parsing: "1m") > PromDuration(parsing: "59s"))
        #expect(try PromDuration(parsing: "1w") == PromDuration(parsing: "7d"))
        #expect(PromDuration.seconds(15) == (try PromDuration(parsing: "15s")))
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("15", "the number 15 has no unit"),
        ("15 s", "the number 15 has no unit"),
        ("1.5h", "the number 1 has no unit"),
        ("15sec", #"unknown unit "sec""#),
        ("5M", #"unknown unit "M""#),
        ("30m1h", "units must appear once each, from the largest to the smallest"),
        ("1s1s", "units must appear once each, from the largest to the smallest"),
        ("-1s", #"expected a whole number at "-1s""#),
        ("h", #"expected a whole number at "h""#),
        ("99999999999999999999y", "it is too long"),
    ])
    func rejectsWithAReason(_ input: String, _ reason: String) {
        #expect(throws: PromDurationParseError(input: input, reason: reason)) { try PromDuration(parsing: input) }
    }
}
