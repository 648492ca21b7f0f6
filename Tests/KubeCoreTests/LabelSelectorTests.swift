import Testing
import KubeCore

@Suite struct LabelSelectorTests {
    @Test func equalityForms() throws {
        for text in ["app=web", "app==web", "  app = web  "] {
            let s = try LabelSelector(parsing: text)
            #expect(s.matches(["app": "web", "x": "y"]), "\(text)")
            #expect(!s.matches(["app": "db"]), "\(text)")
            #expect(!s.matches([:]), "\(text)")
            #expect(s.description == "app=web")
        }
    }

    @Test func notEqualsMatchesMissingLabel() throws {
        let s = try LabelSelector(parsing: "tier!=db")
        #expect(s.matches([:]))
        #expect(s.matches(["tier": "web"]))
        #expect(!s.matches(["tier": "db"]))
    }

    @Test func setBasedRequirements() throws {
        let s = try LabelSelector(parsing: "env in (prod, staging),team notin (x)")
        #expect(s.matches(["env": "prod"]))
        #expect(s.matches(["env": "staging", "team": "y"]))
        #expect(!s.matches(["env": "prod", "team": "x"]))
        #expect(!s.matches(["team": "y"]))
        #expect(s.description == "env in (prod,staging),team notin (x)")
    }

    @Test func existenceRequirements() throws {
        let s = try LabelSelector(parsing: "app, !canary")
        #expect(s.matches(["app": ""]))
        #expect(!s.matches(["app": "a", "canary": "true"]))
        #expect(!s.matches(["other": "a"]))
        #expect(s.description == "app,!canary")
    }

    @Test func emptySelectsEverything() throws {
        let s = try LabelSelector(parsing: "  ")
        #expect(s.isEverything)
        #expect(s.matches([:]))
    }

    @Test func prefixedKeysAndEmptyValues() throws {
        let s = try LabelSelector(parsing: "app.kubernetes.io/name=web,empty=")
        #expect(s.matches(["app.kubernetes.io/name": "web", "empty": ""]))
        #expect(!s.matches(["app.kubernetes.io/name": "web", "empty": "x"]))
    }

    @Test func numericComparisons() throws {
        let s = try LabelSelector(parsing: "gen>2,gen<10")
        #expect(s.matches(["gen": "5"]))
        #expect(!s.matches(["gen": "2"]))
        #expect(!s.matches(["gen": "abc"]))
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "gen>abc") }
    }

    @Test func syntaxErrorsAreWordedLikeTheServer() {
        #expect(throws: LabelSelector.ParseError("unable to parse requirement: found ')', expected: identifier")) {
            try LabelSelector(parsing: ")")
        }
        #expect(throws: LabelSelector.ParseError("unable to parse requirement: found 'x', expected: '('")) {
            try LabelSelector(parsing: "a in x")
        }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a=b,") }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a in ()") }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a=b c") }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a in (x") }
    }

    @Test func invalidKeysAndValuesAreRejected() throws {
        let badKey = try #require(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "-a=b") }
        #expect(badKey.message.hasPrefix(#"unable to parse requirement: key: Invalid value: "-a": name part must consist of alphanumeric characters"#))
        let badPrefix = try #require(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "Ex.com/a=b") }
        #expect(badPrefix.message.contains("prefix part a lowercase RFC 1123 subdomain"))
        let badValue = try #require(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a=b_") }
        #expect(badValue.message.contains(#"values[0][a]: Invalid value: "b_": a valid label must be an empty string"#))
        let long = String(repeating: "x", count: 64)
        let tooLong = try #require(throws: LabelSelector.ParseError.self) { try LabelSelector(parsing: "a=\(long)") }
        #expect(tooLong.message.contains("must be no more than 63 characters"))
    }

    @Test func structuredSelector() throws {
        let json: JSONValue = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "qa"]],
                ["key": "legacy", "operator": "DoesNotExist"],
                ["key": "team", "operator": "Exists"],
                ["key": "zone", "operator": "NotIn", "values": ["z1"]],
            ],
        ]
        let s = try LabelSelector(selectorJSON: json)
        #expect(s.matches(["app": "web", "env": "qa", "team": "t"]))
        #expect(!s.matches(["app": "web", "env": "qa", "team": "t", "legacy": "1"]))
        #expect(!s.matches(["app": "web", "env": "qa", "team": "t", "zone": "z1"]))
        #expect(!s.matches(["app": "web", "env": "dev", "team": "t"]))
        #expect(s.description == "app=web,env in (prod,qa),!legacy,team,zone notin (z1)")
        #expect(try LabelSelector(selectorJSON: [:]).isEverything)
        #expect(try LabelSelector(selectorJSON: nil).isEverything)
        #expect(try LabelSelector(parsing: s.description) == s)
    }

    @Test func structuredSelectorErrorsNameTheField() {
        #expect(throws: LabelSelector.ParseError(#"matchExpressions[0].operator: Unsupported value: "Is": supported values: "DoesNotExist", "Exists", "In", "NotIn""#)) {
            try LabelSelector(selectorJSON: ["matchExpressions": [["key": "a", "operator": "Is"]]])
        }
        #expect(throws: LabelSelector.ParseError.self) {
            try LabelSelector(selectorJSON: ["matchExpressions": [["key": "a", "operator": "In", "values": []]]])
        }
        #expect(throws: LabelSelector.ParseError.self) {
            try LabelSelector(selectorJSON: ["matchExpressions": [["key": "a", "operator": "Exists", "values": ["x"]]]])
        }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(selectorJSON: ["matchLabels": ["a": 1]]) }
        #expect(throws: LabelSelector.ParseError.self) { try LabelSelector(selectorJSON: "app=web") }
    }
}
