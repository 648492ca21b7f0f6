import Foundation
import KubeCore

/// Decodes the Kubernetes protobuf envelope (`k8s\0` + `runtime.Unknown`) of the kinds in ``ProtobufSchemas``
/// into the JSON form the rest of the sandbox works with. Other kinds get 415, naming the kind.
enum ProtobufDecoder {
    private static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    static func decode(_ bytes: [UInt8]) throws -> JSONValue {
        guard bytes.count >= 4, Array(bytes.prefix(4)) == magic else { throw malformed("missing the k8s protobuf prefix") }
        var reader = Reader(bytes: bytes, position: 4, end: bytes.count)
        var apiVersion = "", kind = ""
        var raw: (Int, Int)?
        while reader.position < reader.end {
            let (field, wire) = try reader.tag()
            switch (field, wire) {
            case (1, 2):
                var meta = try reader.subReader()
                while meta.position < meta.end {
                    let (f, w) = try meta.tag()
                    if f == 1 && w == 2 { apiVersion = try meta.string() } else if f == 2 && w == 2 { kind = try meta.string() } else { try meta.skip(w) }
                }
            case (2, 2):
                let sub = try reader.subReader()
                raw = (sub.position, sub.end)
            default: try reader.skip(wire)
            }
        }
        guard let schema = ProtobufSchemas.byKind["\(apiVersion)/\(kind)"] else {
            throw APIStatus(code: 415, reason: .unsupportedMediaType,
                            message: "the sandbox cannot decode \(apiVersion) \(kind) sent as application/vnd.kubernetes.protobuf; send application/json")
        }
        guard let raw else { throw malformed("the envelope has no raw object") }
        var object = try message(Reader(bytes: bytes, position: raw.0, end: raw.1), schema)
        if kind != "DeleteOptions" {
            object["apiVersion"] = .string(apiVersion)
            object["kind"] = .string(kind)
        }
        return object
    }

    private static func malformed(_ why: String) -> APIStatus {
        APIStatus(code: 400, reason: .badRequest, message: "the protobuf request body is malformed: \(why)")
    }

    private static func message(_ r: Reader, _ schema: ProtobufSchema) throws -> JSONValue {
        var reader = r
        var out: [String: JSONValue] = [:]
        while reader.position < reader.end {
            let (number, wire) = try reader.tag()
            guard let field = schema.fields[number] else {
                try reader.skip(wire)
                continue
            }
            let name = field.jsonName
            switch field {
            case .string: out[name] = .string(try reader.string())
            case .bytes: out[name] = .string(Data(try reader.lengthDelimited()).base64EncodedString())
            case .int: out[name] = .int(Int(truncatingIfNeeded: try reader.varint()))
            case .bool: out[name] = .bool(try reader.varint() != 0)
            case .time:
                var t = try reader.subReader()
                var seconds: UInt64 = 0
                while t.position < t.end {
                    let (f, w) = try t.tag()
                    if f == 1 && w == 0 { seconds = try t.varint() } else { try t.skip(w) }
                }
                out[name] = .string(Date(timeIntervalSince1970: TimeInterval(Int64(bitPattern: seconds))).formatted(.iso8601))
            case .message(_, let sub): out[name] = try message(reader.subReader(), sub)
            case .repeatedString: out[name] = .array((out[name]?.arrayValue ?? []) + [.string(try reader.string())])
            case .repeatedMessage(_, let sub): out[name] = .array((out[name]?.arrayValue ?? []) + [try message(reader.subReader(), sub)])
            case .stringMap, .bytesMap:
                var entry = try reader.subReader()
                var key = "", value = JSONValue.string("")
                while entry.position < entry.end {
                    let (f, w) = try entry.tag()
                    if f == 1 && w == 2 { key = try entry.string() }
                    else if f == 2 && w == 2 {
                        let b = try entry.lengthDelimited()
                        if case .bytesMap = field { value = .string(Data(b).base64EncodedString()) } else { value = .string(String(decoding: b, as: UTF8.self)) }
                    } else { try entry.skip(w) }
                }
                var map = out[name]?.objectValue ?? [:]
                map[key] = value
                out[name] = .object(map)
            }
        }
        return .object(out)
    }

    /// A cursor over protobuf wire format.
    private struct Reader {
        let bytes: [UInt8]
        var position: Int
        let end: Int

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < end, shift < 64 {
                let b = bytes[position]
                position += 1
                result |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
            throw ProtobufDecoder.malformed("truncated varint")
        }

        mutating func tag() throws -> (Int, Int) {
            let t = try varint()
            return (Int(t >> 3), Int(t & 7))
        }

        mutating func lengthDelimited() throws -> [UInt8] {
            let sub = try subReader()
            return Array(bytes[sub.position..<sub.end])
        }

        mutating func string() throws -> String { String(decoding: try lengthDelimited(), as: UTF8.self) }

        mutating func subReader() throws -> Reader {
            let length = Int(truncatingIfNeeded: try varint())
            guard length >= 0, position + length <= end else { throw ProtobufDecoder.malformed("a length runs past the end") }
            let sub = Reader(bytes: bytes, position: position, end: position + length)
            position += length
            return sub
        }

        mutating func skip(_ wire: Int) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: position += 8
            case 2: _ = try subReader()
            case 5: position += 4
            default: throw ProtobufDecoder.malformed("unsupported wire type \(wire)")
            }
            if position > end { throw ProtobufDecoder.malformed("a field runs past the end") }
        }
    }
}
