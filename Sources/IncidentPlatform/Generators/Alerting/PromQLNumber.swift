/// Numbers as they are written into PromQL expressions: `0.999`, `0.001`, `14.4`, `1`.
enum PromQLNumber {
    /// `value` rounded to 10 decimal places (so `1 - 0.999` is written `0.001`), without a trailing `.0`.
    static func text(_ value: Double) -> String {
        let rounded = (value * 1e10).rounded() / 1e10
        return SchemaNode.number(rounded)
    }

    /// A histogram bucket bound as the services expose it in `le` (`0.5`, `1`, `2.5`).
    static func bucketBound(_ value: Double) -> String { SchemaNode.number(value) }
}
