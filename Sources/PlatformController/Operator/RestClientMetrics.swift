import KubeClient

/// `rest_client_requests_total{code,method,host}` from the client's request counters, in Prometheus text.
enum RestClientMetrics {
    static func exposition(_ metrics: RequestMetrics) -> String {
        var out = "# HELP rest_client_requests_total Number of HTTP requests, partitioned by status code, method, and host.\n"
        out += "# TYPE rest_client_requests_total counter\n"
        for (key, count) in metrics.snapshot() {
            out += "rest_client_requests_total{code=\"\(escape(key.code))\",host=\"\(escape(key.host))\",method=\"\(escape(key.method))\"} \(count)\n"
        }
        return out
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
