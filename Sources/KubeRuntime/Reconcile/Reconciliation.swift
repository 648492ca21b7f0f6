import Logging
/// What the controller knows about the reconcile running on the current task, for reconcilers that want
/// to log with the object's `namespace`, `name`, `controller` and `reconcileID` on every line.
///
/// ```swift
/// func reconcile(_ platform: JSONValue, _ ctx: Context) async throws -> Action {
///     Reconciliation.logger.info("applying children")
///     ...
/// }
/// ```
public enum Reconciliation {
    /// A logger with `controller`, `namespace`, `name` and `reconcileID` bound (disabled outside a reconcile).
    @TaskLocal public static var logger: Logger = .disabled
    /// The id of the running reconcile (a UUID), empty outside a reconcile.
    @TaskLocal public static var id: String = ""
}
