import Foundation
import Testing
import KubeCore
@testable import IncidentPlatform

@Suite struct ModelExampleTests {
    func load(_ name: String) throws -> IncidentPlatform {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/\(name)"), encoding: .utf8)
        switch PlatformSpecLoader.load(try YAML.parse(text)) {
        case .success(let platform): return platform
        case .failure(let errors):
            Issue.record("examples/\(name) does not load:\n\(errors)")
            throw errors
        }
    }

    @Test func minimalExampleLoadsWithEveryDefault() throws {
        let platform = try load("platform-minimal.yaml")
        #expect(platform.name == "incidents")
        #expect(platform.namespace == "incident-platform")
        #expect(platform.spec == IncidentPlatformSpec())
    }

    @Test func fullExampleLoadsAndSpellsOutTheDefaults() throws {
        let platform = try load("platform.yaml")
        var expected = IncidentPlatformSpec()
        for service in PlatformService.allCases {
            expected.services[service].env = [EnvVar(name: "LOG_LEVEL", value: "info")]
        }
        #expect(platform.spec == expected)
    }
}
