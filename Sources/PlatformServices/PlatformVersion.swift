/// The version of the `incident-platform` binary and image; the operator's default image tag is the same
/// (a test compares `incident-platform --version` with `incident-operator version`).
public enum PlatformVersion {
    /// The release version.
    public static let current = "0.1.0"
}
