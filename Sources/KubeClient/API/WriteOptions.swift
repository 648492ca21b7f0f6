/// Query parameters of create, update and patch calls.
public struct WriteOptions: Sendable, Equatable {
    /// `fieldManager`: who owns the fields written (server-side field tracking).
    public var fieldManager: String?
    /// `dryRun=All`: validate and admit, but persist nothing.
    public var dryRun: Bool
    /// `fieldValidation`: `Strict`, `Warn` or `Ignore`.
    public var fieldValidation: String?

    public init(fieldManager: String? = nil, dryRun: Bool = false, fieldValidation: String? = nil) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let fieldManager { q.append(("fieldManager", fieldManager)) }
        if dryRun { q.append(("dryRun", "All")) }
        if let fieldValidation { q.append(("fieldValidation", fieldValidation)) }
        return q
    }
}
