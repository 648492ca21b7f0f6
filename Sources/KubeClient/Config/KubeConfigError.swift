/// A configuration problem: which file, which field, what is wrong and how to fix it.
public struct KubeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (kubeconfig, token, certificate) or source (`$KUBERNETES_SERVICE_HOST`) at fault.
    public var file: String
    /// The field, as a path: `users[eks].user.exec.command`.
    public var field: String
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var fix: String

    public init(file: String, field: String, problem: String, fix: String) {
        self.file = file
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        "\(file): \(field): \(problem). Fix: \(fix)"
    }
}
