import Logging
import PostgresNIO

extension PostgresClient {
    /// Listens on `channel`, on a connection of its own, until the task is cancelled; after a failure it
    /// listens again a second later.
    ///
    /// A notification sent while nobody listens is lost, so a listener must catch up each time listening
    /// starts (`listening`, called once the `LISTEN` is in place) and may have to distrust what it knows
    /// while it is not listening (`interrupted`, called each time listening stops).
    public func listenUntilCancelled(
        on channel: String,
        logger: Logger,
        listening: () -> Void,
        interrupted: () -> Void = {},
        notification: (String) -> Void
    ) async {
        while !Task.isCancelled {
            do {
                try await withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        listening()
                        for try await received in notifications { notification(received.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("\(channel).listen_failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            interrupted()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
