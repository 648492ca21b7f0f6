import KubeCore

/// The CPU and memory requests and limits of a container.
public struct ResourceRequirements: Sendable, Equatable {
    /// CPU and memory the scheduler reserves (HPA utilization is relative to these).
    public var requests: ResourceList
    /// CPU and memory the container may not exceed.
    public var limits: ResourceList

    /// Creates requirements from requests and limits.
    public init(requests: ResourceList, limits: ResourceList) {
        self.requests = requests
        self.limits = limits
    }

    /// The defaults of a component (``PlatformDefaults/resources(for:)``).
    public static func defaults(for component: PlatformComponent) -> ResourceRequirements {
        let r = PlatformDefaults.resources(for: component)
        return ResourceRequirements(
            requests: ResourceList(cpu: .constant(r.requests.cpu), memory: .constant(r.requests.memory)),
            limits: ResourceList(cpu: .constant(r.limits.cpu), memory: .constant(r.limits.memory)))
    }

    /// `{requests: {cpu, memory}, limits: {cpu, memory}}` with canonical quantity strings.
    public var json: JSONValue { ["requests": requests.json, "limits": limits.json] }
}

/// A CPU and a memory quantity.
public struct ResourceList: Sendable, Equatable {
    /// CPU, in cores (`500m` = half a core).
    public var cpu: Quantity
    /// Memory, in bytes (`256Mi`).
    public var memory: Quantity

    /// Creates a resource list.
    public init(cpu: Quantity, memory: Quantity) {
        self.cpu = cpu
        self.memory = memory
    }

    /// `{cpu, memory}` with canonical quantity strings.
    public var json: JSONValue { ["cpu": .string(cpu.description), "memory": .string(memory.description)] }
}

extension Quantity {
    /// A quantity from one of this module's own constants, which tests prove parse; zero if one ever did not.
    @usableFromInline static func constant(_ text: String) -> Quantity {
        (try? Quantity(parsing: text)) ?? Quantity(nanoValue: 0)
    }
}

extension PromDuration {
    /// A duration from one of this module's own constants, which tests prove parse; zero if one ever did not.
    @usableFromInline static func constant(_ text: String) -> PromDuration {
        (try? PromDuration(parsing: text)) ?? PromDuration(milliseconds: 0)
    }
}
