import PlatformServices
import Testing

@Suite("Service configuration from the environment")
struct ConfigurationTests {
    static let complete = [
        "SERVICE_NAME": "incident-management", "PORT": "8000", "PLATFORM_API_TOKEN": "0123456789abcdef0123",
        "DATABASE_HOST": "db", "DATABASE_PORT": "5432", "DATABASE_NAME": "incidentops", "DATABASE_USER": "u", "DATABASE_PASSWORD": "p",
        "INCIDENT_MANAGEMENT_URL": "http://x-incident-management.ops.svc:8000",
    ]

    @Test func whatTheOperatorWiresIsEnough() throws {
        let c = try ServiceConfiguration.load(Self.complete)
        #expect(c.component == .incidentManagement)
        #expect(c.port == 8000)
        #expect(c.database?.host == "db")
        #expect(c.database?.database == "incidentops")
        #expect(c.peerURLs["INCIDENT_MANAGEMENT_URL"] == "http://x-incident-management.ops.svc:8000")
    }

    @Test(arguments: ["PLATFORM_API_TOKEN", "DATABASE_HOST", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD", "SERVICE_NAME"])
    func aMissingVariableIsNamed(_ variable: String) {
        var env = Self.complete
        env[variable] = nil
        #expect(throws: ConfigurationError.self) { try ServiceConfiguration.load(env) }
        do { _ = try ServiceConfiguration.load(env) } catch { #expect(error.variable == variable) }
    }

    @Test(arguments: [("PORT", "eighty"), ("PORT", "70000"), ("DATABASE_PORT", "x"), ("SERVICE_NAME", "billing"),
                      ("DATABASE_SSLMODE", "sometimes"), ("PLATFORM_API_TOKEN", "short"), ("ONCALL_SERVICE_URL", "ftp://x"),
                      ("INGEST_RATE_LIMIT", "-1")])
    func aMalformedVariableIsNamed(_ variable: String, _ value: String) {
        var env = Self.complete
        env[variable] = value
        do {
            _ = try ServiceConfiguration.load(env)
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.contains(variable))
        }
    }

    @Test func webUINeedsNoDatabaseAndTheArgumentWinsOverServiceName() throws {
        let env = ["SERVICE_NAME": "incident-management", "PLATFORM_API_TOKEN": "0123456789abcdef0123"]
        let c = try ServiceConfiguration.load(env, component: .webUI)
        #expect(c.component == .webUI)
        #expect(c.database == nil)
        #expect(c.port == 8080)
    }
}
