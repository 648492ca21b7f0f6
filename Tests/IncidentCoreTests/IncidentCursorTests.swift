import Testing
@testable import IncidentCore

@Suite struct IncidentCursorTests {
    @Test func encodesBase64URLWithoutPadding() {
        // Python: base64.urlsafe_b64encode(b"id:42").rstrip(b"=")
        #expect(IncidentCursor.encode(42) == "aWQ6NDI")
        #expect(IncidentCursor.encode(1) == "aWQ6MQ")
        #expect(IncidentCursor.encode(.max) == "aWQ6OTIyMzM3MjAzNjg1NDc3NTgwNw")
    }

    @Test(arguments: [1, 42, 1_000_000, Int64.max, 0, -7, .min] as [Int64])
    func roundTrips(id: Int64) {
        let text = IncidentCursor.encode(id)
        #expect(!text.contains("="))
        #expect(IncidentCursor.decode(text) == id)
    }

    @Test(arguments: [
        "", "42", "id:42", "aWQ6NDI=", "aWQ6NDI==", " aWQ6NDI", "aWQ6NDI ", "aWQ6NDI\n", "!!!!", "aWQ6NDI*",
        "aWQ6NDJ",                          // "id:42" with non-zero trailing bits: not the canonical text
        "aWQ6YWJj",                         // "id:abc"
        "aWQ6MDQy",                         // "id:042"
        "aWQ6KzQy",                         // "id:+42"
        "eDo0Mg",                           // "x:42"
        "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk",  // "id:99999999999999999999" (overflows Int64)
        "aWQ6NDIg",                         // "id:42 "
        "aWQ6LTA",                          // "id:-0"
        "aWQ6",                             // "id:"
        String(repeating: "A", count: 10_000),
    ])
    func garbageIsRejected(text: String) {
        #expect(IncidentCursor.decode(text) == nil)
    }
}
