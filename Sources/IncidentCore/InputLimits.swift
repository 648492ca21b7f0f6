/// The limits on what clients and alert sources may send. Lengths count Unicode scalars, as PostgreSQL's
/// `char_length` does.
///
/// | What                                  | Limit                                              |
/// |---------------------------------------|----------------------------------------------------|
/// | incident `title` (trimmed)            | 1–500 characters                                   |
/// | incident `description`                | ≤ 65536 characters                                 |
/// | `labels`                              | ≤ 64 entries                                       |
/// | label name                            | 1–128 characters matching `[A-Za-z_][A-Za-z0-9_.\-/]*` |
/// | label value                           | ≤ 1024 characters                                  |
/// | `by` (who acknowledged, resolved, wrote a note) | ≤ 256 characters                         |
/// | note `text` (trimmed)                 | 1–16384 characters                                 |
/// | PagerDuty `dedup_key`, Alertmanager `fingerprint` | ≤ 255 characters                       |
/// | PagerDuty `payload.summary`           | ≤ 1024 characters                                  |
/// | alerts in one Alertmanager webhook    | ≤ 1000                                             |
/// | list `limit`                          | 1–200, default 50                                  |
///
/// Titles and descriptions taken from alerts (an Alertmanager `summary` annotation, a PagerDuty summary) are cut to
/// the title and description limits instead of being rejected: an alert is never lost for a long text.
public enum InputLimits {
    /// The longest incident title.
    public static let titleLength = 500
    /// The longest incident description.
    public static let descriptionLength = 65536
    /// The most labels on one incident or alert.
    public static let labelCount = 64
    /// The longest label name.
    public static let labelNameLength = 128
    /// The longest label value.
    public static let labelValueLength = 1024
    /// The longest `by` (the person or system that acts).
    public static let byLength = 256
    /// The longest note text.
    public static let noteLength = 16384
    /// The longest dedup key (PagerDuty's own limit).
    public static let dedupKeyLength = 255
    /// The longest PagerDuty `payload.summary` (PagerDuty's own limit).
    public static let summaryLength = 1024
    /// The most alerts in one Alertmanager webhook.
    public static let alertsPerWebhook = 1000
    /// The default page size of incident lists.
    public static let defaultListLimit = 50
    /// The largest page size of incident lists.
    public static let maxListLimit = 200
}

extension InputLimits {
    /// Checks a label set against the label limits; errors name `field` and the offending label.
    static func checkLabels(_ labels: [String: String], field: String) throws(ValidationError) {
        if labels.count > labelCount {
            throw .invalid(field, "\(field) has \(labels.count) entries; at most \(labelCount) are allowed")
        }
        for name in labels.keys.sorted() {
            if !isLabelName(name) {
                throw .invalid(field, "\(field) has an invalid label name \(quoted(name)): a name is 1–\(labelNameLength) "
                    + "characters matching [A-Za-z_][A-Za-z0-9_.\\-/]*")
            }
            let value = labels[name]!
            if value.scalarCount > labelValueLength {
                throw .invalid(field, "\(field) has a value of \(value.scalarCount) characters for label \(quoted(name)); "
                    + "at most \(labelValueLength) are allowed")
            }
        }
    }

    /// Checks that `text` has at most `limit` characters.
    static func checkLength(_ text: String, field: String, max limit: Int) throws(ValidationError) {
        if text.scalarCount > limit {
            throw .invalid(field, "\(field) has \(text.scalarCount) characters; at most \(limit) are allowed")
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_.\-/]*`, 1–128 characters.
    static func isLabelName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= labelNameLength, isLetter(first) || first == UInt8(ascii: "_") else {
            return false
        }
        return bytes.dropFirst().allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
