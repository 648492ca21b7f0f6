import KubeCore

/// JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge key by key, `null` removes a
/// key, anything else (arrays included) replaces.
enum MergePatch {
    /// `target` with `patch` merged in. A non-object patch replaces the whole target.
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
