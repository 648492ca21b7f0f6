import CCurl

/// Owns one libcurl easy handle. libcurl keeps the handle's connections alive between transfers,
/// so reusing a handle reuses its connection.
final class CurlEasyHandle: @unchecked Sendable {
    // @unchecked: the handle is used by one transfer at a time (the pool hands it out exclusively).
    let raw: UnsafeMutableRawPointer

    init?() {
        guard CurlGlobal.initialized, let raw = curl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }
}

/// `curl_global_init`, once per process.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(ccurl_global_default()) == CURLE_OK
}
