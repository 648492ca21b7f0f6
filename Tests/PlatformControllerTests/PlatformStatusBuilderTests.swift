import Foundation
import IncidentPlatform
import KubeCore
import PlatformController
import Testing

@Suite("Status: components, conditions, no churn")
struct PlatformStatusBuilderTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func desired() -> [JSONValue] {
        var ds: JSONValue = ["kind": "DaemonSet", "metadata": ["name": "demo-promtail", "labels": ["app.kubernetes.io/name": "promtail"]]]
        ds["spec"] = [:]
        return [Fixtures.deployment(name: "web-ui", replicas: 2), Fixtures.deployment(name: "postgres", replicas: 1),
                ["kind": "PersistentVolumeClaim", "metadata": ["name": "demo-postgres-data", "labels": ["app.kubernetes.io/name": "postgres"]]], ds]
    }

    @Test func countsReadyAndDesiredPerComponent() {
        let live: [String: JSONValue] = [
            "web-ui": ChildProjection.project(Fixtures.deployment(name: "web-ui", replicas: 2, ready: 1)),
            "postgres": ChildProjection.project(Fixtures.deployment(name: "postgres", replicas: 1, ready: 1)),
            "demo-postgres-data": ["status": ["phase": "Pending"]],
            "demo-promtail": ["status": ["desiredNumberScheduled": 3, "numberReady": 3]],
        ]
        let components = PlatformStatusBuilder.components(desired: desired()) { live[$0.name ?? ""] }
        #expect(components["web-ui"] == ComponentStatus(ready: 1, desired: 2, message: "1/2 replicas ready"))
        #expect(components["postgres"]?.ready == 0)
        #expect(components["postgres"]?.message.contains("volume") == true)
        #expect(components["promtail"] == ComponentStatus(ready: 3, desired: 3, message: ""))
    }

    @Test func missingChildrenAreNotReady() {
        let components = PlatformStatusBuilder.components(desired: desired()) { _ in nil }
        #expect(components.values.allSatisfy { !$0.isReady })
        #expect(components["web-ui"]?.desired == 2)
    }

    @Test func readyPlatformAndNoChurnWhenRecomputed() {
        let components = ["web-ui": ComponentStatus(ready: 2, desired: 2)]
        let first = PlatformStatusBuilder(generation: 3, now: t0).valid(previous: IncidentPlatformStatus(), components: components, problems: [])
        #expect(first.phase == .ready)
        #expect(first.observedGeneration == 3)
        #expect(first.conditions.condition(ofType: "Ready")?.status == .true)
        #expect(first.conditions.condition(ofType: "Progressing")?.status == .false)
        #expect(first.conditions.condition(ofType: "Degraded")?.status == .false)
        #expect(first.conditions.condition(ofType: "SpecValid")?.status == .true)
        #expect(first.ready == "1/1")
        // An hour later, same world: byte-identical status, so nothing is written.
        let again = PlatformStatusBuilder(generation: 3, now: t0.addingTimeInterval(3600))
            .valid(previous: try! IncidentPlatformStatus(json: first.json), components: components, problems: [])
        #expect(again.json == first.json)
    }

    @Test func transitionTimeChangesOnlyWhenTheStatusFlips() throws {
        let notReady = ["web-ui": ComponentStatus(ready: 0, desired: 2, message: "0/2 replicas ready")]
        let first = PlatformStatusBuilder(generation: 1, now: t0).valid(previous: IncidentPlatformStatus(), components: notReady, problems: [])
        #expect(first.phase == .progressing)
        let ready = ["web-ui": ComponentStatus(ready: 2, desired: 2)]
        let later = t0.addingTimeInterval(60)
        let second = PlatformStatusBuilder(generation: 1, now: later).valid(previous: first, components: ready, problems: [])
        #expect(second.conditions.condition(ofType: "Ready")?.lastTransitionTime == later)
        #expect(second.conditions.condition(ofType: "SpecValid")?.lastTransitionTime == t0)
    }

    @Test func problemsMakeItDegraded() {
        let status = PlatformStatusBuilder(generation: 1, now: t0).valid(
            previous: IncidentPlatformStatus(), components: ["web-ui": ComponentStatus(ready: 1, desired: 1)],
            problems: [("StorageShrinkRefused", "volumes cannot shrink")])
        #expect(status.phase == .degraded)
        let degraded = status.conditions.condition(ofType: "Degraded")
        #expect(degraded?.status == .true)
        #expect(degraded?.reason == "StorageShrinkRefused")
    }

    @Test func invalidSpecListsEveryProblemAndKeepsTheRest() {
        let previous = PlatformStatusBuilder(generation: 1, now: t0)
            .valid(previous: IncidentPlatformStatus(), components: ["web-ui": ComponentStatus(ready: 1, desired: 1)], problems: [])
        let errors = PlatformValidationErrors([PlatformValidationError(path: "spec.a", message: "bad"),
                                               PlatformValidationError(path: "spec.b", message: "worse")])
        let status = PlatformStatusBuilder(generation: 2, now: t0).invalid(previous: previous, errors: errors)
        #expect(status.phase == .invalid)
        let specValid = status.conditions.condition(ofType: "SpecValid")
        #expect(specValid?.status == .false)
        #expect(specValid?.message.contains("spec.a: bad") == true && specValid?.message.contains("spec.b: worse") == true)
        #expect(status.components == previous.components)
        #expect(status.observedGeneration == 2)
    }
}

@Suite("Status throttle")
struct StatusThrottleTests {
    let builder = PlatformStatusBuilder(generation: 1, now: Date(timeIntervalSince1970: 1_700_000_000))

    func progressing(_ ready: Int) -> IncidentPlatformStatus {
        builder.valid(previous: IncidentPlatformStatus(), components: ["web-ui": ComponentStatus(ready: ready, desired: 3, message: "\(ready)/3")],
                      problems: [])
    }

    @Test func progressOnlyWritesWaitButPhaseChangesDoNot() {
        let throttle = StatusThrottle(interval: .seconds(60))
        #expect(throttle.delay(key: "ops/demo", previous: progressing(0), next: progressing(1)) == nil, "nothing written yet")
        throttle.wrote(key: "ops/demo", progressing(0), over: IncidentPlatformStatus())
        #expect(throttle.delay(key: "ops/demo", previous: progressing(0), next: progressing(1)) != nil)
        let ready = builder.valid(previous: progressing(0), components: ["web-ui": ComponentStatus(ready: 3, desired: 3)], problems: [])
        #expect(throttle.delay(key: "ops/demo", previous: progressing(0), next: ready) == nil)
        // The cache has not seen the write yet: writing the same again is skipped.
        #expect(throttle.repeatsLastWrite(key: "ops/demo", progressing(0), over: IncidentPlatformStatus()))
        #expect(!throttle.repeatsLastWrite(key: "ops/demo", ready, over: IncidentPlatformStatus()))
        // Someone else changed the status since: it is written again.
        #expect(!throttle.repeatsLastWrite(key: "ops/demo", progressing(0), over: ready))
    }

    @Test func statusWaitsAfterChildrenWereWritten() {
        let throttle = StatusThrottle(interval: .seconds(60))
        #expect(throttle.hold(key: "ops/demo") == nil)
        throttle.childrenWritten(key: "ops/demo")
        #expect((throttle.hold(key: "ops/demo") ?? .zero) > .seconds(50))
        #expect(throttle.hold(key: "ops/other") == nil)
    }
}
