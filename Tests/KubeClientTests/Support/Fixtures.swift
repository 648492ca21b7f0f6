import Foundation

/// Paths of the test fixtures and temporary directories.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    /// A fresh private temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "kubeclient-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
