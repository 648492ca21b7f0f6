import Foundation
@testable import KubeClient

/// An ``HTTPTransport`` that records requests and answers from a list of canned responses.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private var responses: [HTTPResponse]

    init(responses: [HTTPResponse] = []) { self.responses = responses }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock {
            recorded.append(request)
            return responses.isEmpty ? HTTPResponse(status: 200, body: Array(#"{"kind":"ConfigMap","metadata":{"name":"x"}}"#.utf8)) : responses.removeFirst()
        }
    }

    func stream(_ request: HTTPRequest, into sink: any HTTPStreamSink) async throws -> Int {
        let response = try await send(request)
        sink.receiveHead(status: response.status, headers: response.headers)
        _ = response.body.withUnsafeBytes { sink.receive($0) }
        return response.status
    }
}
