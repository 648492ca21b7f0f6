import Foundation
@testable import KubeClient

/// An ``HTTPTransport`` that records requests and answers from a list of canned responses.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [TransportRequest] = []
    private var responses: [TransportResponse]

    init(responses: [TransportResponse] = []) { self.responses = responses }

    var requests: [TransportRequest] { lock.withLock { recorded } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        lock.withLock {
            recorded.append(request)
            return responses.isEmpty ? TransportResponse(status: 200, body: Array(#"{"kind":"ConfigMap","metadata":{"name":"x"}}"#.utf8)) : responses.removeFirst()
        }
    }

    func stream(_ request: TransportRequest, into sink: any TransportStreamSink) async throws -> Int {
        let response = try await send(request)
        sink.receiveHead(status: response.status, headers: response.headers)
        _ = response.body.withUnsafeBytes { sink.receive($0) }
        return response.status
    }
}
