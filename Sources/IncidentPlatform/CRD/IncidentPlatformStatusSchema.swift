import KubeCore

/// The schema of `IncidentPlatform.status` (written by the controller through the status subresource).
enum IncidentPlatformStatusSchema {
    static let status = SchemaNode(.object([
        SchemaProperty("observedGeneration", SchemaNode(.integer,
            "The metadata.generation the status describes; older than metadata.generation while a change is being applied.")
            .formatted("int64")),
        SchemaProperty("phase", SchemaNode(.string,
            "Summary: Pending (accepted), Progressing (rolling out), Ready (every component ready), Degraded (a component is failing), Invalid (the spec does not validate; see the SpecValid condition).")
            .oneOf(PlatformPhase.allCases.map(\.rawValue))),
        SchemaProperty("ready", SchemaNode(.string, "Ready components out of all enabled components, e.g. `9/10`.")),
        SchemaProperty("conditions", SchemaNode(.array(condition),
            "The latest observations: Ready, Progressing, Degraded and SpecValid.").keyed(by: ["type"])),
        SchemaProperty("components", SchemaNode(.map(SchemaNode(.object([
            SchemaProperty("ready", SchemaNode(.integer, "Ready pods.")),
            SchemaProperty("desired", SchemaNode(.integer, "Desired pods.")),
            SchemaProperty("message", SchemaNode(.string, "What is happening, or what is wrong.")),
        ]), "The pods of one component.")), "Per component (alert-ingestion, postgres, prometheus, ...): ready and desired pods.")),
    ]), "The observed state of the platform, written by the operator.")

    static let condition = SchemaNode(.object([
        SchemaProperty("type", SchemaNode(.string, "The condition type: Ready, Progressing, Degraded or SpecValid.").matching(
            #"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"#,
            "must be a CamelCase condition type", maxLength: 316)),
        SchemaProperty("status", SchemaNode(.string, "Whether the condition holds.").oneOf(Condition.Status.allCases.map(\.rawValue))),
        SchemaProperty("observedGeneration", SchemaNode(.integer, "The metadata.generation the condition was computed from.")
            .bounded(0, nil).formatted("int64")),
        SchemaProperty("lastTransitionTime", SchemaNode(.string, "When the status last changed.").formatted("date-time")),
        SchemaProperty("reason", SchemaNode(.string, "A CamelCase reason for the last transition.")
            .matching(#"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"#, "must be a CamelCase reason", maxLength: 1024)),
        SchemaProperty("message", SchemaNode(.string, "A human-readable explanation.")),
    ]), "One condition, shaped like metav1.Condition.").requiring(["type", "status", "lastTransitionTime", "reason", "message"])
}
