import Shared
import Testing

/// The ``ConfigError`` `body` throws, or `nil` when it throws nothing; any other error is recorded as an issue.
func configError(_ body: () throws -> Void) -> ConfigError? {
    do {
        try body()
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}
