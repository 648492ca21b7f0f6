import Testing
import KubeCore
@testable import IncidentPlatform

@Suite struct ModelDefaultsTests {
    @Test func everyDefaultQuantityAndDurationParses() throws {
        for component in PlatformComponent.allCases {
            let r = PlatformDefaults.resources(for: component)
            for text in [r.requests.cpu, r.requests.memory, r.limits.cpu, r.limits.memory] {
                _ = try Quantity(parsing: text)
            }
            let typed = ResourceRequirements.defaults(for: component)
            #expect(typed.requests.cpu <= typed.limits.cpu, "\(component)")
            #expect(typed.requests.memory <= typed.limits.memory, "\(component)")
        }
        for text in [PlatformDefaults.databaseStorageSize, PlatformDefaults.prometheusStorageSize,
                     PlatformDefaults.grafanaStorageSize, PlatformDefaults.lokiStorageSize] {
            _ = try Quantity(parsing: text)
        }
        _ = try PromDuration(parsing: PlatformDefaults.scrapeInterval)
        _ = try PromDuration(parsing: PlatformDefaults.retention)
    }

    @Test func serviceDefaults() {
        let spec = IncidentPlatformSpec()
        #expect(spec.services[.webUI].port == 8080)
        #expect(spec.services[.alertIngestion].port == 8000)
        for service in PlatformService.allCases {
            #expect(spec.services[service].image == "ghcr.io/incidentops/incident-platform:\(PlatformDefaults.applicationVersion)", "\(service)")
            #expect(spec.services[service].readinessPath == "/ready", "\(service)")
        }
        #expect(PlatformDefaults.applicationVersion == "0.1.0")
        #expect(spec.apiTokenSecretRef == nil)
        #expect(spec.services[.incidentManagement].autoscaling == AutoscalingSpec(enabled: true, minReplicas: 1, maxReplicas: 5,
                                                                                   targetCPUUtilizationPercentage: 50,
                                                                                   targetMemoryUtilizationPercentage: 70))
        #expect(spec.database.storage.size.description == "10Gi")
        #expect(spec.database.storage.deletionPolicy == .retain)
        #expect(spec.monitoring.prometheus.scrapeInterval.description == "15s")
        #expect(spec.monitoring.prometheus.retention.description == "15d")
        #expect(spec.disruptionBudget.maxUnavailable == .int(1))
    }

    @Test func serviceAndComponentNames() {
        #expect(PlatformService.allCases.map(\.componentName) == ["alert-ingestion", "incident-management", "oncall-service", "web-ui"])
        #expect(PlatformService.allCases.map(\.specKey) == ["alertIngestion", "incidentManagement", "oncallService", "webUI"])
        #expect(PlatformComponent.webUI.service == .webUI)
        #expect(PlatformComponent.loki.service == nil)
        let longest = PlatformComponent.allCases.map { $0.componentName.count + 1 }.max() ?? 0
        #expect(longest <= IncidentPlatform.maxChildNameSuffixLength)
    }
}
