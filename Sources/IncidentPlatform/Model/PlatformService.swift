/// The four application services of the platform, in `spec.services`.
public enum PlatformService: String, Sendable, CaseIterable, Hashable {
    /// Receives alerts and opens incidents (`spec.services.alertIngestion`).
    case alertIngestion
    /// The incident lifecycle API (`spec.services.incidentManagement`).
    case incidentManagement
    /// On-call schedules and escalation (`spec.services.oncallService`).
    case oncallService
    /// The web front end (`spec.services.webUI`).
    case webUI

    /// The key under `spec.services`, e.g. `webUI`.
    public var specKey: String { rawValue }

    /// The component, e.g. ``PlatformComponent/webUI``.
    public var component: PlatformComponent {
        switch self {
        case .alertIngestion: .alertIngestion
        case .incidentManagement: .incidentManagement
        case .oncallService: .oncallService
        case .webUI: .webUI
        }
    }

    /// The component name, e.g. `web-ui`.
    public var componentName: String { component.componentName }

    /// Whether this is a backend (it talks to the database); the web UI is not.
    public var isBackend: Bool { self != .webUI }
}
