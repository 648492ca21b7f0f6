import KubeCore

/// An object as an informer's ``Store`` keeps it: its canonical JSON (keys sorted, no whitespace) in one
/// exactly sized byte array. Equal objects have equal bytes, so comparing two costs a `memcmp`.
struct EncodedObject: Sendable, Equatable {
    private let bytes: [UInt8]

    /// The encoding of `value`.
    init(_ value: JSONValue) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        value.writeJSON(into: &buffer)
        // A copy of exactly the encoded size: the growing buffer may hold twice as much.
        bytes = [UInt8](unsafeUninitializedCapacity: buffer.count) { target, count in
            count = buffer.withUnsafeBufferPointer { target.initialize(fromContentsOf: $0) }
        }
    }

    /// The object, decoded.
    var value: JSONValue {
        // The bytes were written by `writeJSON`: they always parse. Failing here is a bug of the encoder.
        guard let value = try? JSONValue(jsonBytes: bytes) else {
            preconditionFailure("EncodedObject: the canonical encoding of a JSONValue did not parse back")
        }
        return value
    }

    /// The encoded size in bytes.
    var byteCount: Int { bytes.count }
}
