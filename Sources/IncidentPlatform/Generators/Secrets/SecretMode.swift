/// Whether the generators include the Secrets the operator generates (database credentials, Grafana admin).
///
/// The controller creates generated Secrets once and never overwrites them; `render` leaves them out unless
/// `--generate-secrets` is given, because a rendered password would be a new one each time.
public enum SecretMode: Sendable {
    /// Leave generated Secrets out (``PlatformGenerator/secretRequirements(for:)`` names them).
    case omit
    /// Include generated Secrets with passwords drawn from `source`.
    case generate(RandomSource)

    /// Include generated Secrets with passwords from the system CSPRNG.
    public static var generate: SecretMode { .generate(.system) }
}
