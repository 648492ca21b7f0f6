import HTTPServer

/// The page oncall-service and web-ui show until their real work lands.
enum PlaceholderPage {
    static func response(_ component: ServiceComponent) -> HTTPResponse {
        .text(200, """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>incident-platform \(component.rawValue)</title></head>
            <body><h1>incident-platform: \(component.rawValue)</h1>
            <p>This service is running. Its user interface and API arrive in a later release; incidents are served by
            incident-management at <code>/api/v1/incidents</code>.</p>
            <p><a href="/health">/health</a> · <a href="/ready">/ready</a> · <a href="/metrics">/metrics</a></p>
            </body></html>

            """, contentType: "text/html; charset=utf-8")
    }
}
