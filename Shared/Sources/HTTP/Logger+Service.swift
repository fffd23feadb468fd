import Logging

extension Logger {
    /// This logger with `service` metadata, so the lines of the services sharing one process can be told apart.
    public func with(service: ServiceName) -> Logger {
        var logger = self
        logger[metadataKey: "service"] = .string(service.rawValue)
        return logger
    }
}
