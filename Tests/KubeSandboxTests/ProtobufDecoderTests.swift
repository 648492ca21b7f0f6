@testable import KubeSandbox
import Testing

@Suite("Protobuf request bodies")
struct ProtobufDecoderTests {
    let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    @Test func aLengthNearIntMaxIsMalformedNotACrash() {
        // Field 1, wire type 2, length 0x7fff_ffff_ffff_ffff (a varint of nine bytes).
        let body = magic + [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]
        #expect(throws: (any Error).self) { try ProtobufDecoder.decode(body) }
    }

    @Test func aFixedFieldPastTheEndIsMalformed() {
        // Field 3, wire type 1 (eight bytes) with only two left.
        let body = magic + [0x19, 0x01, 0x02]
        #expect(throws: (any Error).self) { try ProtobufDecoder.decode(body) }
    }
}
