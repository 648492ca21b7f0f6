import CCurl
import Foundation

/// The state of one transfer, reached from libcurl's C callbacks through an `Unmanaged` context pointer.
final class CurlTransfer: @unchecked Sendable {
    // @unchecked: `body`, `headers` and `headSent` are touched only by the thread running curl_easy_perform
    // (and read after it returns); `cancelled` is guarded by `lock`.
    private let lock = NSLock()
    private var cancelled = false
    private let handle: UnsafeMutableRawPointer
    private let sink: (any TransportStreamSink)?
    private(set) var body: [UInt8] = []
    private(set) var headers: [String: String] = [:]
    private var headSent = false
    /// Set when the sink asked to stop, so a write error is not reported as a failure.
    private(set) var stoppedBySink = false

    init(handle: UnsafeMutableRawPointer, sink: (any TransportStreamSink)?) {
        self.handle = handle
        self.sink = sink
    }

    /// Asks libcurl to abort at its next callback.
    func cancel() { lock.withLock { cancelled = true } }

    var isCancelled: Bool {
        if lock.withLock({ cancelled }) { return true }
        return sink?.isCancelled ?? false
    }

    var responseCode: Int {
        var code = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100 Continue or a redirect)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Returns `false` to make libcurl abort.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let sink else {
            body.append(contentsOf: bytes)
            return !isCancelled
        }
        sendHeadIfNeeded()
        if isCancelled || !sink.receive(bytes) {
            stoppedBySink = true
            return false
        }
        return true
    }

    func sendHeadIfNeeded() {
        guard let sink, !headSent else { return }
        headSent = true
        sink.receiveHead(status: responseCode, headers: headers)
    }
}

/// The C callbacks handed to libcurl. `static let` closures compile cleanly under strict concurrency.
enum CurlCallbacks {
    static let write: ccurl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let n = size * count
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
    }

    static let header: ccurl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let n = size * count
        transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: n))
        return n
    }

    static let progress: ccurl_xferinfo_callback = { context, _, _, _, _ in
        guard let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        if transfer.isCancelled {
            return 1
        }
        return 0
    }
}
