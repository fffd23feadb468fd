import Hummingbird
import PostgresNIO

/// The common frame of every internal service's router.
public enum ServiceRouter {
    /// A router with request logging, `{"detail"}` errors, the internal-caller check and the query text
    /// rule (``QueryTextMiddleware``), plus
    /// `GET /health` reporting `service` and, when given, the database.
    public static func make(
        service: ServiceName,
        internalToken: String,
        database: PostgresClient?
    ) -> Router<MessengerRequestContext> {
        let router = Router(context: MessengerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(addressSource: .gateway))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: InternalCallerMiddleware(token: internalToken))
        router.add(middleware: QueryTextMiddleware())
        router.get("/health") { _, context -> Response in
            var databaseState = "none"
            if let database {
                do {
                    try await database.query("SELECT 1", logger: context.logger)
                    databaseState = "ok"
                } catch {
                    databaseState = "down"
                }
            }
            let report = HealthReport(
                status: databaseState == "down" ? "degraded" : "ok",
                service: service.rawValue,
                database: databaseState
            )
            return try report.response(status: databaseState == "down" ? .serviceUnavailable : .ok)
        }
        return router
    }
}

/// The body of `/health` on an internal service.
public struct HealthReport: Codable, Sendable {
    public var status: String
    public var service: String
    public var database: String
}
