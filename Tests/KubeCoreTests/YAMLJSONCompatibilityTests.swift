import Testing

@testable import KubeCore

/// JSON is YAML: request bodies and `kubectl` apply patches arrive as JSON.
@Suite struct YAMLJSONCompatibilityTests {
    static let value: JSONValue = [
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "labels": ["a/b": "c:d"]],
        "data": ["script": "#!/bin/sh\necho \"hi\"\t\\\n", "empty": "", "unicode": "é😀"],
        "list": [1, -2, 0.5, true, false, nil, [], [:], [[1]], ["k": ["v"]]],
    ]

    @Test func compactJSONParses() throws {
        #expect(try YAML.parse(Self.value.jsonString()) == Self.value)
    }

    @Test func prettyJSONParses() throws {
        #expect(try YAML.parse(Self.value.prettyJSONString()) == Self.value)
    }

    @Test func tabIndentedJSONParses() throws {
        #expect(try YAML.parse("{\n\t\"a\": [\n\t\t1,\n\t\t\"b\"\n\t]\n}\n") == ["a": [1, "b"]])
    }
}
