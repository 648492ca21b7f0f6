import CCurl
import KubeCore
import Testing
@testable import KubeClient

@Suite("API error decoding")
struct StatusDecodingTests {
    func error(_ code: Int, reason: String, headers: [String: String] = [:], details: String = "{}") -> KubeClientError {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","code":\#(code),"reason":"\#(reason)","message":"m","details":\#(details)}"#
        return KubeClient.error(from: TransportResponse(status: code, headers: headers, body: Array(body.utf8)))
    }

    @Test func notFound() {
        let e = error(404, reason: "NotFound")
        #expect(e.isNotFound && !e.isConflict && !e.isAlreadyExists)
        #expect(e.status?.reason == .notFound)
    }

    @Test func alreadyExistsAndConflictAreDistinct() {
        let exists = error(409, reason: "AlreadyExists")
        let conflict = error(409, reason: "Conflict")
        #expect(exists.isAlreadyExists && !exists.isConflict)
        #expect(conflict.isConflict && !conflict.isAlreadyExists)
    }

    @Test func goneInvalidAndServerErrors() {
        #expect(error(410, reason: "Expired").isGone)
        let invalid = error(422, reason: "Invalid", details: #"{"causes":[{"field":"spec.x","message":"bad"}]}"#)
        #expect(invalid.isInvalid)
        #expect(invalid.status?.details?["causes"]?.arrayValue?.count == 1)
        #expect(error(503, reason: "ServiceUnavailable").isServerError)
        #expect(!error(404, reason: "NotFound").isServerError)
    }

    @Test func tooManyRequestsRetryAfterFromHeaderThenDetails() {
        let header = error(429, reason: "TooManyRequests", headers: ["retry-after": "7"], details: #"{"retryAfterSeconds":2}"#)
        #expect(header.isTooManyRequests)
        #expect(header.retryAfterSeconds == 7)
        let details = error(429, reason: "TooManyRequests", details: #"{"retryAfterSeconds":2}"#)
        #expect(details.retryAfterSeconds == 2)
    }

    @Test func anAnswerWithoutAStatusStillGetsACodeAndReason() {
        let e = KubeClient.error(from: TransportResponse(status: 502, body: Array("Bad Gateway from the load balancer".utf8)))
        #expect(e.isServerError)
        #expect(e.status?.reason == .internalError)
        #expect(e.status?.message == "Bad Gateway from the load balancer")
        #expect(e.description.contains("502"))
    }

    @Test func tlsFailuresGetHints() {
        let wrongName = CurlTransport.classify(code: CURLE_PEER_FAILED_VERIFICATION, message: "SSL: no alternative certificate subject name matches target host name 'x'", url: "https://x", tls: TLSOptions(serverName: "x"))
        guard case .tls(_, let hint, _) = wrongName else { Issue.record("expected .tls, got \(wrongName)"); return }
        #expect(hint.contains("tls-server-name"))
        let wrongCA = CurlTransport.classify(code: CURLE_PEER_FAILED_VERIFICATION, message: "SSL certificate problem: unable to get local issuer certificate", url: "https://x", tls: TLSOptions())
        guard case .tls(_, let caHint, _) = wrongCA else { Issue.record("expected .tls, got \(wrongCA)"); return }
        #expect(caHint.contains("wrong CA"))
        let refused = CurlTransport.classify(code: CURLE_COULDNT_CONNECT, message: "Failed to connect to 127.0.0.1 port 1", url: "https://x", tls: TLSOptions())
        guard case .transport(let message, _) = refused else { Issue.record("expected .transport, got \(refused)"); return }
        #expect(message.contains("Failed to connect"))
    }
}
