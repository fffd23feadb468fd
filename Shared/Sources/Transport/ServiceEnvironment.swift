import Logging

/// What every service of a process is built with, once per process (``MessengerConfig`` read, secrets
/// resolved, transport decided): each service's `makeApplication` takes this one value.
public struct ServiceEnvironment: Sendable {
    /// The settings.
    public var config: MessengerConfig
    /// How the other services are reached.
    public var transport: ServiceTransport
    /// The services of this process, by name: each answers the others' calls without a socket once it
    /// listens. Empty when in-process calls are off (`IN_PROCESS_CALLS=false`).
    public var local: [ServiceName: LocalService]
    /// The process's logger (each service adds its name).
    public var logger: Logger

    public init(
        config: MessengerConfig,
        transport: ServiceTransport,
        local: [ServiceName: LocalService] = [:],
        logger: Logger
    ) {
        self.config = config
        self.transport = transport
        self.local = local
        self.logger = logger
    }

    /// The client of another service's internal API.
    public func client(of service: ServiceName) -> ServiceClient {
        ServiceClient(service, transport: transport)
    }
}
