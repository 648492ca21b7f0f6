import COpenSSL

/// The text of OpenSSL's thread-local error queue, for messages that must name OpenSSL's reason.
package enum OpenSSLErrorText {
    /// Every queued error, joined with "; ", and clears the queue. Empty when the queue was empty.
    package static func drain() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.joined(separator: "; ")
    }
}
