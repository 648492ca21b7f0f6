import COpenSSL
import FoundationEssentials
import Hashing
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSL TLS client session over a connected socket, configured by the sslmode.
final class TLSSession {
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// OpenSSL writes with write(2), which raises SIGPIPE on a closed socket: ignore it once for the process
    /// (as libpq's users and our HTTP server do).
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Handshakes on `fd`. Verifies the chain for verify-ca / verify-full, and for prefer / require when a
    /// root certificate file is given (libpq's rule); checks the host name or IP for verify-full; sends SNI
    /// for host names.
    init(fd: Int32, host: String, mode: PostgresSSLMode, rootCertificateFile: String?) throws {
        Self.ignoreSIGPIPE
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw Self.error(mode, "could not create an SSL context")
        }
        self.context = context
        _ = copenssl_set_min_proto_version(context, TLS1_2_VERSION)
        let verify = mode == .verifyCA || mode == .verifyFull || rootCertificateFile != nil
        if verify {
            if let rootCertificateFile {
                guard SSL_CTX_load_verify_locations(context, rootCertificateFile, nil) == 1 else {
                    SSL_CTX_free(context)
                    throw Self.error(mode, "could not load the root certificate file \"\(rootCertificateFile)\"")
                }
            } else if SSL_CTX_set_default_verify_paths(context) != 1 {
                SSL_CTX_free(context)
                throw Self.error(mode, "could not load the system's trusted certificates")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw Self.error(mode, "could not create an SSL session")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        let isIPAddress = Self.isIPAddress(host)
        if !isIPAddress { _ = copenssl_set_tlsext_host_name(ssl, host) }
        if mode == .verifyFull {
            let parameters = SSL_get0_param(ssl)
            if isIPAddress {
                X509_VERIFY_PARAM_set1_ip_asc(parameters, host)
            } else {
                X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                X509_VERIFY_PARAM_set1_host(parameters, host, 0)
            }
        }
        let result = SSL_connect(ssl)
        if result != 1 {
            var reason = "TLS handshake failed"
            let verifyResult = SSL_get_verify_result(ssl)
            if verifyResult != X509_V_OK {
                reason += ": certificate verify failed: \(String(cString: X509_verify_cert_error_string(verifyResult)))"
            } else if SSL_get_error(ssl, result) == SSL_ERROR_SYSCALL, errno == EAGAIN || errno == EWOULDBLOCK {
                reason += ": timed out"
            }
            // Fully initialised: deinit frees the session and the context.
            throw Self.error(mode, reason)
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Whether OpenSSL holds decrypted bytes not yet read.
    var hasPendingBytes: Bool { SSL_pending(ssl) > 0 }

    func write(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            ERR_clear_error()
            let chunk = Int32(min(buffer.count - offset, Int(Int32.max)))
            let written = SSL_write(ssl, buffer.baseAddress! + offset, chunk)
            if written > 0 {
                offset += Int(written)
                continue
            }
            throw failure(written, doing: "write")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            ERR_clear_error()
            let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
            if count > 0 { return Int(count) }
            let code = SSL_get_error(ssl, count)
            if code == SSL_ERROR_SYSCALL, errno == EINTR { continue }
            throw failure(count, doing: "read")
        }
    }

    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func failure(_ result: Int32, doing operation: String) -> PostgresError {
        let code = SSL_get_error(ssl, result)
        let savedErrno = errno
        switch code {
        case SSL_ERROR_ZERO_RETURN:
            return PostgresError(kind: .connection, message: "the server closed the TLS connection")
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return PostgresError(kind: .timeout, message: "no answer from the server within the timeout (TLS \(operation))")
        case SSL_ERROR_SYSCALL:
            if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK {
                return PostgresError(kind: .timeout, message: "no answer from the server within the timeout (TLS \(operation))")
            }
            let text = OpenSSLErrorText.drain()
            let reason = savedErrno == 0 ? "the server closed the connection unexpectedly" : String(cString: strerror(savedErrno))
            return PostgresError(kind: .connection, message: "TLS \(operation) failed: \(reason)\(text.isEmpty ? "" : " (\(text))")")
        default:
            return PostgresError(kind: .tls, message: "TLS \(operation) failed: \(OpenSSLErrorText.drain())")
        }
    }

    private static func error(_ mode: PostgresSSLMode, _ reason: String) -> PostgresError {
        let openSSL = OpenSSLErrorText.drain()
        let suffix = openSSL.isEmpty ? "" : " (OpenSSL: \(openSSL))"
        return PostgresError(kind: .tls, message: "\(reason), sslmode=\(mode.rawValue)\(suffix)")
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
