import KubeCore

/// An `IntOrString` that is either a count or a percentage (`1`, `"25%"`), as in PodDisruptionBudgets.
public enum IntOrPercent: Sendable, Hashable, CustomStringConvertible {
    /// An absolute number.
    case int(Int)
    /// A percentage, 0-100.
    case percent(Int)

    /// The JSON form: an integer or a `"N%"` string.
    public var json: JSONValue {
        switch self {
        case .int(let i): .int(i)
        case .percent(let p): .string("\(p)%")
        }
    }

    /// `1` or `25%`.
    public var description: String {
        switch self {
        case .int(let i): "\(i)"
        case .percent(let p): "\(p)%"
        }
    }

    /// Reads `1` or `"25%"`; `nil` for anything else.
    public init?(json: JSONValue) {
        switch json {
        case .int(let i): self = .int(i)
        case .string(let s) where s.hasSuffix("%"):
            guard let p = Int(s.dropLast()), !s.dropLast().hasPrefix("+") else { return nil }
            self = .percent(p)
        default: return nil
        }
    }
}
