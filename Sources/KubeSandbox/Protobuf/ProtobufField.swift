import KubeCore

/// How one protobuf field of a Kubernetes type maps to its JSON form.
indirect enum ProtobufField: Sendable {
    case string(String)
    /// Bytes, written base64-encoded (Secret and ConfigMap binary data).
    case bytes(String)
    case int(String)
    case bool(String)
    /// `metav1.Time` (`seconds`, `nanos`), written RFC 3339.
    case time(String)
    case message(String, ProtobufSchema)
    case repeatedString(String)
    case repeatedMessage(String, ProtobufSchema)
    /// `map<string,string>`.
    case stringMap(String)
    /// `map<string,bytes>`, values written base64-encoded.
    case bytesMap(String)

    var jsonName: String {
        switch self {
        case .string(let n), .bytes(let n), .int(let n), .bool(let n), .time(let n), .message(let n, _),
             .repeatedString(let n), .repeatedMessage(let n, _), .stringMap(let n), .bytesMap(let n):
            return n
        }
    }
}

/// Field numbers of one protobuf message.
struct ProtobufSchema: Sendable {
    var fields: [Int: ProtobufField]
}
