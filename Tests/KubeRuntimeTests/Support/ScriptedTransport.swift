import Foundation
import KubeClient

/// An HTTP transport answering from a closure, recording every request (method and URL).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `recorded` is guarded by `lock`; `answer` is immutable.
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let answer: @Sendable (HTTPRequest) -> HTTPResponse

    init(_ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.answer = answer }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        return answer(request)
    }

    func stream(_ request: HTTPRequest, into sink: any HTTPStreamSink) async throws -> Int {
        let response = try await send(request)
        sink.receiveHead(status: response.status, headers: response.headers)
        _ = response.body.withUnsafeBytes { sink.receive($0) }
        return response.status
    }
}

func jsonResponse(_ status: Int, _ text: String) -> HTTPResponse {
    HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(text.utf8))
}
