import Foundation
import Testing

@testable import KubeCore

/// PyYAML (`yaml.safe_load_all`) as the reference reader, run through `/usr/bin/env python3`.
enum PyYAML {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Converts what PyYAML loads to JSON; non-finite floats become `{"$float": "nan"|"inf"|"-inf"}` (see
    /// `normalized`), as JSON has no spelling for them.
    private static let prelude = """
        import json, math, sys, yaml
        def norm(v):
            if isinstance(v, float) and not math.isfinite(v):
                return {"$float": "nan" if v != v else ("inf" if v > 0 else "-inf")}
            if isinstance(v, dict):
                return {k: norm(x) for k, x in v.items()}
            if isinstance(v, list):
                return [norm(x) for x in v]
            return v
        """

    /// Every document of a file, as PyYAML reads it.
    static func loadAll(file: URL) throws -> [JSONValue] {
        let script =
            prelude
            + "\nprint(json.dumps([norm(d) for d in yaml.safe_load_all(open(sys.argv[1], encoding='utf-8'))]))\n"
        let out = try run(script: script, arguments: [file.path], input: Data())
        guard case .array(let docs) = try JSONValue(jsonData: out) else { throw Failure(description: "not a list") }
        return docs
    }

    /// Every document of each text, in one python call.
    static func loadAll(texts: [String]) throws -> [[JSONValue]] {
        let script =
            prelude + """

                out = []
                for text in json.load(sys.stdin):
                    try:
                        out.append({"ok": [norm(d) for d in yaml.safe_load_all(text)]})
                    except Exception as e:
                        out.append({"error": str(e)})
                print(json.dumps(out))
                """
        let input = JSONValue.array(texts.map(JSONValue.string)).jsonData()
        let out = try run(script: script, arguments: [], input: input)
        guard case .array(let results) = try JSONValue(jsonData: out), results.count == texts.count else {
            throw Failure(description: "PyYAML returned an unexpected answer")
        }
        return try results.enumerated().map { index, result in
            guard case .array(let docs)? = result["ok"] else {
                throw Failure(
                    description:
                        "PyYAML cannot read text #\(index) (\(result["error"]?.stringValue ?? "?")):\n\(texts[index])")
            }
            return docs
        }
    }

    private static func run(script: String, arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read the output on another thread while the input is written, so neither pipe can fill up and block.
        let collected = OutputCollector()
        let reader = Thread {
            collected.set(stdout.fileHandleForReading.readDataToEndOfFile())
        }
        reader.start()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let out = collected.wait()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "python3 (PyYAML) failed with status \(process.terminationStatus): "
                    + String(decoding: errors, as: UTF8.self))
        }
        return out
    }

    /// `value` with non-finite doubles replaced as the python side does, so that values compare with `==`.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where d.isNaN: return ["$float": "nan"]
        case .double(let d) where d.isInfinite: return ["$float": d > 0 ? "inf" : "-inf"]
        case .array(let a): return .array(a.map(normalized))
        case .object(let o): return .object(o.mapValues(normalized))
        default: return value
        }
    }
}

/// Hands the data read on the reader thread to the waiting test.
private final class OutputCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}

extension JSONValue {
    /// The first place where `other` differs from this value (`$.a[2].b: 1 != "1"`), or `nil` when equal.
    func firstDifference(from other: JSONValue, path: String = "$") -> String? {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                guard let x = a[key], let y = b[key] else {
                    return
                        "\(path).\(key): \(a[key].map { "\($0)" } ?? "missing") != \(b[key].map { "\($0)" } ?? "missing")"
                }
                if let d = x.firstDifference(from: y, path: "\(path).\(key)") { return d }
            }
            return nil
        case (.array(let a), .array(let b)):
            for (i, (x, y)) in zip(a, b).enumerated() {
                if let d = x.firstDifference(from: y, path: "\(path)[\(i)]") { return d }
            }
            return a.count == b.count ? nil : "\(path): \(a.count) items != \(b.count) items"
        default:
            return self == other ? nil : "\(path): \(self) != \(other)"
        }
    }
}
