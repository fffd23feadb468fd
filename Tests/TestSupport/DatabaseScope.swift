import Foundation
import Logging
import PostgresNIO
import Shared

/// Runs `body` with a running `PostgresClient` on a fresh database, migrated with `migrators`.
public func withFreshDatabase<Result: Sendable>(
    migrators: [Migrator],
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let settings = try await TestDatabase.shared.makeDatabase()
    let client = PostgresClient(configuration: settings.configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        let logger = Logger(label: "test")
        for migrator in migrators {
            try await migrator.migrate(on: client, logger: logger)
        }
        return try await body(client)
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1.
public func freePort() throws -> Int {
    try freePorts(1)[0]
}

/// `count` different TCP ports that were free a moment ago on 127.0.0.1 (all held until all are found).
public func freePorts(_ count: Int) throws -> [Int] {
    var descriptors: [Int32] = []
    defer { for descriptor in descriptors { close(descriptor) } }
    var ports: [Int] = []
    for _ in 0..<count {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        descriptors.append(descriptor)
        ports.append(try bindEphemeral(descriptor))
    }
    return ports
}

func bindEphemeral(_ descriptor: Int32) throws -> Int {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(descriptor, pointer, length) == 0 else { return -1 }
            return getsockname(descriptor, pointer, &length)
        }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
