import Foundation
import KubeCore

/// The `status` of an `ExecCredential` printed by a credential plugin.
struct ExecCredential: Sendable, Equatable {
    /// The bearer token.
    var token: String
    /// When the token stops being valid; `nil` means until the server rejects it.
    var expiration: Date?

    init(token: String, expiration: Date? = nil) {
        self.token = token
        self.expiration = expiration
    }

    /// Decodes the plugin's output; `plugin` describes the plugin for errors.
    init(output: [UInt8], config: ExecPluginConfig) throws {
        let where_ = "exec plugin \(config.command) (\(config.sourceFile), \(config.field))"
        let json: JSONValue
        do {
            json = try JSONValue(jsonBytes: output)
        } catch {
            throw KubeClientError.authentication("\(where_) printed something that is not an ExecCredential JSON object: \(error)")
        }
        guard json.kind == "ExecCredential" else {
            throw KubeClientError.authentication("\(where_) printed kind \(json.kind ?? "(none)"), expected ExecCredential")
        }
        guard json.apiVersion == config.apiVersion else {
            throw KubeClientError.authentication("\(where_) answered with apiVersion \(json.apiVersion ?? "(none)") but the kubeconfig asks for \(config.apiVersion); make them match")
        }
        guard let token = json["status", "token"]?.stringValue, !token.isEmpty else {
            if json["status", "clientCertificateData"] != nil {
                throw KubeClientError.authentication("\(where_) returned a client certificate; this client supports token credentials from exec plugins only")
            }
            throw KubeClientError.authentication("\(where_) returned no status.token")
        }
        self.token = token
        if let stamp = json["status", "expirationTimestamp"]?.stringValue {
            guard let date = Self.parseTimestamp(stamp) else {
                throw KubeClientError.authentication("\(where_) returned status.expirationTimestamp \"\(stamp)\", which is not an RFC 3339 time")
            }
            self.expiration = date
        } else {
            self.expiration = nil
        }
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let d = formatter.date(from: text) { return d }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
