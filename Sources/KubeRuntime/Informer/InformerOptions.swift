/// Tuning of an ``Informer``; the defaults follow client-go.
public struct InformerOptions: Sendable {
    /// Backoff between failed lists and watches (800 ms doubling to 30 s).
    public var backoff: ExponentialBackoff = .watch
    /// A watch that ran this long without failing resets the backoff (2 minutes).
    public var healthyPeriod: Duration = .seconds(120)
    /// The periodic resync (10 minutes), spread by ±10% jitter; nil turns it off.
    public var resyncPeriod: Duration? = .seconds(600)
    /// Objects per list page.
    public var pageSize: Int = 500
    /// Shared by informers whose list pages should not all be in memory at once (nil: no limit). A page is
    /// listed, decoded and projected under it.
    public var listLimit: ConcurrencyLimit?
    /// The server-side timeout of one watch call, drawn between these bounds (5 to 10 minutes).
    public var watchTimeoutSeconds: ClosedRange<Int> = 300...600

    /// The defaults.
    public init() {}
}
