import CCurl
import Dispatch
import Foundation

/// The libcurl ``HTTPTransport``: keep-alive connections from a bounded pool of easy handles, HTTP/2 when the
/// server offers it (ALPN), connect and request timeouts, TLS from ``TLSOptions``.
///
/// Blocking libcurl calls run on a Dispatch queue (requests) or a thread of their own (streams), never on
/// Swift's cooperative pool; callers await them through continuations.
public final class CurlTransport: HTTPTransport {
    /// The settings this transport was made with.
    public let options: TransportOptions
    private let pool: CurlHandlePool
    private let queue = DispatchQueue(label: "KubeClient.CurlTransport", attributes: .concurrent)

    public init(options: TransportOptions = TransportOptions()) {
        self.options = options
        self.pool = CurlHandlePool(capacity: options.maxConcurrentRequests)
    }

    /// Easy handles created so far; never more than `options.maxConcurrentRequests`.
    var pooledHandleCount: Int { pool.handleCount }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        guard let handle = await pool.acquire() else {
            throw KubeClientError.transport(message: "libcurl could not create a handle (curl_easy_init failed)", url: request.url)
        }
        let transfer = CurlTransfer(handle: handle.raw, sink: nil)
        do {
            let response: TransportResponse = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    queue.async {
                        continuation.resume(with: Result {
                            try self.perform(request, on: handle.raw, transfer: transfer, streaming: false)
                            return TransportResponse(status: transfer.responseCode, headers: transfer.headers, body: transfer.body)
                        })
                    }
                }
            } onCancel: {
                transfer.cancel()
            }
            pool.release(handle)
            return response
        } catch {
            pool.release(handle)
            throw error
        }
    }

    public func stream(_ request: TransportRequest, into sink: any TransportStreamSink) async throws -> Int {
        // A stream holds its connection for its whole life: it gets its own handle, closed at the end.
        guard let handle = CurlEasyHandle() else {
            throw KubeClientError.transport(message: "libcurl could not create a handle (curl_easy_init failed)", url: request.url)
        }
        let transfer = CurlTransfer(handle: handle.raw, sink: sink)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    continuation.resume(with: Result {
                        try self.perform(request, on: handle.raw, transfer: transfer, streaming: true)
                        transfer.sendHeadIfNeeded()
                        return transfer.responseCode
                    })
                }
                thread.name = "KubeClient watch"
                thread.start()
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Runs one transfer on the calling (non-cooperative) thread.
    private func perform(_ request: TransportRequest, on h: UnsafeMutableRawPointer, transfer: CurlTransfer, streaming: Bool) throws {
        curl_easy_reset(h)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var connectTo: UnsafeMutablePointer<curl_slist>?
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer {
            curl_slist_free_all(headerList)
            curl_slist_free_all(connectTo)
            errorBuffer.deallocate()
        }

        var url = request.url
        if let serverName = options.tls.serverName, !serverName.isEmpty, let target = Self.authority(of: url) {
            // Verify the certificate against (and send SNI for) serverName while connecting to the real host.
            let port = target.port ?? (url.hasPrefix("https:") ? 443 : 80)
            url = url.replacingCharacters(in: target.range, with: Self.bracketed(serverName) + ":\(port)")
            connectTo = curl_slist_append(connectTo, "\(Self.bracketed(serverName)):\(port):\(Self.bracketed(target.host)):\(port)")
            ccurl_setopt_slist(h, CURLOPT_CONNECT_TO, connectTo)
        }
        ccurl_setopt_string(h, CURLOPT_URL, url)
        ccurl_setopt_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(h, CURLOPT_HTTP_VERSION, ccurl_http_version_2tls())
        ccurl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        if streaming {
            ccurl_setopt_long(h, CURLOPT_FORBID_REUSE, 1)
        } else {
            ccurl_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(options.requestTimeout * 1000))
        }
        applyTLS(to: h)

        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")
        ccurl_setopt_slist(h, CURLOPT_HTTPHEADER, headerList)

        switch request.method {
        case "GET":
            ccurl_setopt_long(h, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_setopt_long(h, CURLOPT_NOBODY, 1)
        default:
            ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            ccurl_setopt_long(h, CURLOPT_POSTFIELDSIZE, body.count)
            if body.isEmpty {
                ccurl_setopt_string(h, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { raw in
                    if let pointer = raw.baseAddress { ccurl_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)) }
                }
            }
        }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        ccurl_setopt_callback(h, CURLOPT_WRITEFUNCTION, CurlCallbacks.write)
        ccurl_setopt_pointer(h, CURLOPT_WRITEDATA, context)
        ccurl_setopt_callback(h, CURLOPT_HEADERFUNCTION, CurlCallbacks.header)
        ccurl_setopt_pointer(h, CURLOPT_HEADERDATA, context)
        ccurl_setopt_xferinfo(h, CURLOPT_XFERINFOFUNCTION, CurlCallbacks.progress)
        ccurl_setopt_pointer(h, CURLOPT_XFERINFODATA, context)
        ccurl_setopt_long(h, CURLOPT_NOPROGRESS, 0)

        let code = withExtendedLifetime(transfer) { curl_easy_perform(h) }
        guard code != CURLE_OK else { return }
        if transfer.isCancelled || transfer.stoppedBySink {
            if streaming { return }
            throw CancellationError()
        }
        // The error buffer holds libcurl's first complaint, which is not always the final one: keep both.
        let summary = String(cString: curl_easy_strerror(code))
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
        throw Self.classify(code: code, message: message, url: request.url, tls: options.tls,
                            noHTTPResponse: transfer.responseCode == 0)
    }

    private func applyTLS(to h: UnsafeMutableRawPointer) {
        let tls = options.tls
        if tls.insecureSkipVerify {
            ccurl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            ccurl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let ca = tls.caPEM {
            ca.withUnsafeBytes { _ = ccurl_setopt_blob(h, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) }
        }
        if let cert = tls.clientCertificatePEM {
            cert.withUnsafeBytes { _ = ccurl_setopt_blob(h, CURLOPT_SSLCERT_BLOB, $0.baseAddress, $0.count) }
            ccurl_setopt_string(h, CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = tls.clientKeyPEM {
            key.withUnsafeBytes { _ = ccurl_setopt_blob(h, CURLOPT_SSLKEY_BLOB, $0.baseAddress, $0.count) }
            ccurl_setopt_string(h, CURLOPT_SSLKEYTYPE, "PEM")
        }
    }

    /// Turns a libcurl failure into `.tls` (with a hint) or `.transport`.
    /// `noHTTPResponse`: no status line arrived, so a failure while sending or receiving on an `https` URL
    /// happened in (or right after) the TLS handshake, as when the server rejects the client certificate.
    static func classify(code: CURLcode, message: String, url: String, tls: TLSOptions, noHTTPResponse: Bool = false) -> KubeClientError {
        let lower = message.lowercased()
        let nameHint = tls.serverName.map { "tls-server-name is \"\($0)\"" } ?? "no tls-server-name is set"
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION:
            if lower.contains("name") || lower.contains("match") {
                return .tls(message: message, hint: "The server certificate is not valid for the name the client expects (\(nameHint)): check tls-server-name or the host in the server URL.", url: url)
            }
            return .tls(message: message, hint: "The server certificate is not signed by a trusted CA: check certificate-authority / certificate-authority-data (wrong CA?) and tls-server-name.", url: url)
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return .tls(message: message, hint: "A certificate or key could not be loaded: check certificate-authority(-data), client-certificate(-data) and client-key(-data) hold valid PEM and that certificate and key match.", url: url)
        case CURLE_SSL_CONNECT_ERROR, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            let duringHandshake = noHTTPResponse && url.hasPrefix("https:")
            if code == CURLE_SSL_CONNECT_ERROR || duringHandshake || lower.contains("ssl") || lower.contains("tls") || lower.contains("alert") {
                let certHint = tls.clientCertificatePEM == nil
                    ? "the server may require a client certificate (set client-certificate and client-key)"
                    : "the server may reject this client certificate (is it signed by the CA the server trusts?)"
                return .tls(message: message, hint: "The TLS handshake failed: \(certHint); also check the CA and tls-server-name.", url: url)
            }
            return .transport(message: message, url: url)
        default:
            return .transport(message: message, url: url)
        }
    }

    /// The host and port of `url` and the range of `host[:port]` in it.
    static func authority(of url: String) -> (host: String, port: Int?, range: Range<String.Index>)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        let range = url.range(of: hostPort, range: schemeEnd.upperBound..<end) ?? (schemeEnd.upperBound..<end)
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            let host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            return (host, after.hasPrefix(":") ? Int(after.dropFirst()) : nil, range)
        }
        let parts = hostPort.split(separator: ":", maxSplits: 1)
        return (parts.first.map(String.init) ?? "", parts.count > 1 ? Int(parts[1]) : nil, range)
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
