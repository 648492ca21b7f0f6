import Testing
@testable import IncidentCore

/// The bytes of a JSON text.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The `ValidationError` that `body` throws, or `nil` if it does not throw (any other error is recorded as an issue).
func validationError(_ body: () throws -> Void) -> ValidationError? {
    do {
        try body()
        return nil
    } catch let error as ValidationError {
        return error
    } catch {
        Issue.record("expected a ValidationError, got \(error)")
        return nil
    }
}
