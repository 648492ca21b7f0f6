import Synchronization
import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: generated Secrets")
struct GeneratorSecretTests {
    /// A deterministic source: 0, 1, 2, ... (mod 256), continuing across calls.
    static func counting() -> RandomSource {
        let next = Mutex<Int>(0)
        return RandomSource { count in
            next.withLock { n in
                defer { n += count }
                return (0..<count).map { UInt8(truncatingIfNeeded: n + $0) }
            }
        }
    }

    private func password(_ r: RenderedPlatform, _ secret: String, _ key: String) throws -> String {
        try #require(try r.object("Secret", secret)["stringData", key]?.stringValue)
    }

    @Test func renderLeavesGeneratedSecretsOutByDefault() {
        let r = RenderedPlatform()
        // Only Alertmanager's configuration, which is not generated (no random value in it).
        #expect(r.all("Secret").compactMap(\.name) == ["demo-alertmanager"])
        #expect(!r.all("Secret").contains(where: PlatformGenerator.isCreateOnce))
        let needed = PlatformGenerator.secretRequirements(for: r.platform)
        #expect(needed.map(\.name) == ["demo-postgres-credentials", "demo-grafana-admin", "demo-api-token"])
        #expect(needed.allSatisfy { $0.generated })
        #expect(needed.first?.keys == ["username", "password"])
    }

    @Test func generatedSecretsHaveLongPasswordsFromTheInjectedSource() throws {
        let r = RenderedPlatform(secrets: .generate(Self.counting()))
        let db = try password(r, "demo-postgres-credentials", "password")
        let admin = try password(r, "demo-grafana-admin", "admin-password")
        #expect(db.count >= 32 && admin.count >= 32)
        #expect(db != admin)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        #expect(db.allSatisfy { alphabet.contains($0) })
        // The counting source makes it deterministic: the first bytes 0, 1, 2, ... map to "ABC...".
        #expect(db.hasPrefix("ABCDEFGHIJ"))
        let again = try RenderedPlatform(secrets: .generate(Self.counting())).object("Secret", "demo-postgres-credentials")
        #expect(again == (try r.object("Secret", "demo-postgres-credentials")))
        #expect(try r.object("Secret", "demo-postgres-credentials")["stringData", "username"] == "incidentops")
        #expect(PlatformGenerator.isCreateOnce(try r.object("Secret", "demo-grafana-admin")))
        #expect(!PlatformGenerator.isCreateOnce(try r.object("Deployment", "demo-grafana")))
    }

    @Test func passwordsRejectBiasedBytes() {
        // Bytes >= 248 would bias the alphabet: they are skipped, not folded.
        let source = RandomSource { count in (0..<count).map { $0 % 2 == 0 ? 255 : 1 } }
        #expect(source.password(length: 32) == String(repeating: "B", count: 32))
    }

    @Test func aBrokenSourceFallsBackToTheSystemGenerator() {
        let broken = RandomSource { count in [UInt8](repeating: 0xFF, count: count) }
        #expect(broken.password().count == RandomSource.passwordLength)
    }

    @Test func theSystemSourceGivesDifferentPasswords() {
        let a = RandomSource.system.password()
        let b = RandomSource.system.password()
        #expect(a.count >= 32 && b.count >= 32 && a != b)
        let r1 = RenderedPlatform(secrets: .generate)
        let r2 = RenderedPlatform(secrets: .generate)
        #expect(r1.all("Secret").filter(PlatformGenerator.isCreateOnce).count == 3)
        #expect(r1.all("Secret") != r2.all("Secret"))
    }

    @Test func referencedSecretsAreNotGenerated() {
        let r = RenderedPlatform(secrets: .generate(Self.counting())) {
            $0.database.credentialsSecretRef = SecretReference(name: "team-db")
        }
        #expect(r.all("Secret").filter(PlatformGenerator.isCreateOnce).compactMap(\.name) == ["demo-api-token", "demo-grafana-admin"])
        let needed = PlatformGenerator.secretRequirements(for: r.platform)
        #expect(needed.first == SecretRequirement(name: "team-db", keys: ["username", "password"], generated: false, purpose: "PostgreSQL credentials"))
        let noGrafana = RenderedPlatform(secrets: .generate(Self.counting())) { $0.monitoring.grafana.enabled = false }
        #expect(noGrafana.all("Secret").filter(PlatformGenerator.isCreateOnce).compactMap(\.name) == ["demo-api-token", "demo-postgres-credentials"])
    }

    @Test func theAPITokenSecretIsGeneratedOnceWithKeyToken() throws {
        let r = RenderedPlatform(secrets: .generate(Self.counting())) { $0.database.storage.deletionPolicy = .retain }
        let secret = try r.object("Secret", "demo-api-token")
        #expect(PlatformGenerator.isCreateOnce(secret), "created once, never overwritten")
        #expect(secret["type"] == "Opaque")
        let data = try #require(secret["stringData"]?.objectValue)
        #expect(Array(data.keys) == ["token"])
        let token = try #require(data["token"]?.stringValue)
        #expect(token.count >= 40)
        #expect(token != (try password(r, "demo-postgres-credentials", "password")))
        // Owned by the platform (deleted with it) whatever the database's deletion policy, and labelled for no service.
        #expect(secret["metadata", "ownerReferences"]?.arrayValue?.first?["uid"] == "uid-1")
        #expect(secret["metadata", "labels", "app.kubernetes.io/name"] == "api-token")
        #expect(secret["metadata", "labels", "app.kubernetes.io/instance"] == "demo")
        let needed = PlatformGenerator.secretRequirements(for: r.platform)
        #expect(needed.last == SecretRequirement(name: "demo-api-token", keys: ["token"], generated: true, purpose: "API token of the services"))
    }

    @Test func aReferencedAPITokenSecretIsNotGenerated() {
        let r = RenderedPlatform(secrets: .generate(Self.counting())) { $0.apiTokenSecretRef = SecretReference(name: "team-token") }
        #expect(!r.has("Secret", "demo-api-token"))
        #expect(PlatformGenerator.secretRequirements(for: r.platform).last
            == SecretRequirement(name: "team-token", keys: ["token"], generated: false, purpose: "API token of the services"))
    }
}
