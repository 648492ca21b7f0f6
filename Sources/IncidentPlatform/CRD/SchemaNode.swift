import KubeCore

/// One node of the IncidentPlatform schema: the single description from which the CRD's openAPIV3Schema,
/// the Swift defaulting and type checks, and the CR reference are all produced.
struct SchemaNode: Sendable {
    /// What values the node accepts.
    indirect enum Kind: Sendable {
        /// An object with known properties (unknown ones are errors).
        case object([SchemaProperty])
        /// An object with arbitrary keys whose values match the node (`additionalProperties`).
        case map(SchemaNode)
        /// A list of values matching the node.
        case array(SchemaNode)
        /// A string.
        case string
        /// An integer.
        case integer
        /// `true` or `false`.
        case boolean
        /// A resource quantity string; `allowsInteger` also accepts a bare integer (`cpu: 1`), like Kubernetes.
        case quantity(example: String, allowsInteger: Bool)
        /// A Prometheus duration string.
        case duration(example: String)
        /// An integer count or a `"N%"` string.
        case intOrPercent
        /// A number (integer or decimal) from `minimum` to `maximum`, both included.
        case number(minimum: Double, maximum: Double)
    }

    var kind: Kind
    /// Shown by `kubectl explain` and in the CR reference.
    var description: String
    /// The value filled in when the field is absent.
    var defaultValue: JSONValue?
    var minimum: Int?
    var maximum: Int?
    var maxLength: Int?
    var enumValues: [String] = []
    /// A regular expression the whole string must match (RE2, Python `re` and Swift `Regex` agree on it).
    var pattern: String?
    /// What a value must look like when `pattern` does not match, e.g. `must be a DNS label (...)`.
    var patternMessage: String?
    /// Properties that must be present.
    var required: [String] = []
    /// `x-kubernetes-validations` (CEL) rules, checked by the API server.
    var rules: [CELRule] = []
    /// `x-kubernetes-list-map-keys` for a list of objects keyed by these fields.
    var listMapKeys: [String] = []
    /// The OpenAPI `format` (`date-time`, `int64`).
    var format: String?

    init(_ kind: Kind, _ description: String, default defaultValue: JSONValue? = nil) {
        self.kind = kind
        self.description = description
        self.defaultValue = defaultValue
    }

    /// The properties, for an object node.
    var properties: [SchemaProperty] {
        if case .object(let p) = kind { return p }
        return []
    }

    /// The child property called `name`.
    func property(_ name: String) -> SchemaNode? { properties.first { $0.name == name }?.node }

    /// The node at a dotted path of property names below this one.
    func node(at path: [String]) -> SchemaNode? {
        var current: SchemaNode? = self
        for key in path { current = current?.property(key) }
        return current
    }

    // MARK: Builders

    func bounded(_ minimum: Int?, _ maximum: Int?) -> SchemaNode {
        var copy = self
        copy.minimum = minimum
        copy.maximum = maximum
        return copy
    }

    func matching(_ pattern: String, _ message: String, maxLength: Int? = nil) -> SchemaNode {
        var copy = self
        copy.pattern = pattern
        copy.patternMessage = message
        copy.maxLength = maxLength
        return copy
    }

    func oneOf(_ values: [String]) -> SchemaNode {
        var copy = self
        copy.enumValues = values
        return copy
    }

    func requiring(_ fields: [String]) -> SchemaNode {
        var copy = self
        copy.required = fields
        return copy
    }

    func validated(by rules: [CELRule]) -> SchemaNode {
        var copy = self
        copy.rules += rules
        return copy
    }

    func formatted(_ format: String) -> SchemaNode {
        var copy = self
        copy.format = format
        return copy
    }

    func keyed(by keys: [String]) -> SchemaNode {
        var copy = self
        copy.listMapKeys = keys
        return copy
    }
}

/// A named property of an object node.
struct SchemaProperty: Sendable {
    let name: String
    let node: SchemaNode

    init(_ name: String, _ node: SchemaNode) {
        self.name = name
        self.node = node
    }
}

/// A CEL validation rule (`x-kubernetes-validations`).
struct CELRule: Sendable, Equatable {
    /// The CEL expression; `oldSelf` makes it a transition rule (checked on update only).
    let rule: String
    /// The message the API server returns when the rule fails.
    let message: String
    /// `FieldValueInvalid`, `FieldValueForbidden`, ...; `nil` leaves the server default.
    var reason: String?

    init(_ rule: String, _ message: String, reason: String? = nil) {
        self.rule = rule
        self.message = message
        self.reason = reason
    }
}
