import Foundation
import KubeClient

/// An HTTP transport answering from a closure, recording every request (method and URL).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `recorded` is guarded by `lock`; `answer` is immutable.
    private let lock = NSLock()
    private var recorded: [TransportRequest] = []
    private let answer: @Sendable (TransportRequest) -> TransportResponse

    init(_ answer: @escaping @Sendable (TransportRequest) -> TransportResponse) { self.answer = answer }

    var requests: [TransportRequest] { lock.withLock { recorded } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        lock.withLock { recorded.append(request) }
        return answer(request)
    }

    func stream(_ request: TransportRequest, into sink: any TransportStreamSink) async throws -> Int {
        let response = try await send(request)
        sink.receiveHead(status: response.status, headers: response.headers)
        _ = response.body.withUnsafeBytes { sink.receive($0) }
        return response.status
    }
}

func jsonResponse(_ status: Int, _ text: String) -> TransportResponse {
    TransportResponse(status: status, headers: ["content-type": "application/json"], body: Array(text.utf8))
}
