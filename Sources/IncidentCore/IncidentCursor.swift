import FoundationEssentials

/// Opaque pagination cursor: base64url (no padding) of "id:<Int64>"; newest first means the next page holds
/// ids < cursor.
///
/// ```swift
/// IncidentCursor.encode(42)         // "aWQ6NDI"
/// IncidentCursor.decode("aWQ6NDI")  // 42
/// ```
///
/// Only the exact text that ``encode(_:)`` produces decodes: no padding, no `+` or `/`, no leading zeros, no sign.
public enum IncidentCursor {
    /// The cursor for a page that continues after the incident `id`.
    public static func encode(_ id: Int64) -> String {
        Data("id:\(id)".utf8).base64EncodedString()
            .replacing("+", with: "-")
            .replacing("/", with: "_")
            .replacing("=", with: "")
    }

    /// The id inside a cursor, or `nil` if `text` is not a cursor that ``encode(_:)`` made.
    public static func decode(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
        guard !base64.contains("="), !text.contains("+"), !text.contains("/") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8),
              plain.hasPrefix("id:"), let id = Int64(plain.dropFirst(3)) else { return nil }
        return encode(id) == text ? id : nil
    }
}
