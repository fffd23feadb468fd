import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction that commits when it returns and rolls back when it throws.
    ///
    /// Unlike `withTransaction`, the error `body` threw reaches the caller as it is (not wrapped in
    /// `PostgresTransactionError`), so domain errors thrown inside keep their meaning.
    public func inTransaction<Result>(
        logger: Logger,
        file: String = #file,
        line: Int = #line,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, file: file, line: line, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error.beginError ?? error.commitError ?? error.rollbackError ?? error
        }
    }
}
