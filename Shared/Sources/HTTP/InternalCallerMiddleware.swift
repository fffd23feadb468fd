import Hummingbird

/// Admits only requests that carry the internal service token, and reads the caller the gateway
/// vouched for from `X-User-Id` / `X-Session-Id`.
///
/// Every internal service puts it on its router, so a request sent straight to Auth, Users or
/// PrivateChat, bypassing the gateway, is refused with 403. `/health` stays open for probes.
public struct InternalCallerMiddleware: RouterMiddleware {
    public typealias Context = MessengerRequestContext

    let token: [UInt8]

    /// - Parameter token: the shared secret (``MessengerConfig/internalToken``).
    public init(token: String) {
        self.token = Array(token.utf8)
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path == "/health" || request.uri.path == "/health/" {
            return try await next(request, context)
        }
        guard let presented = request.headers[InternalHeaders.token], constantTimeEquals(Array(presented.utf8), token)
        else {
            throw APIError(
                .forbidden,
                detail: "This is an internal service: send requests through the gateway",
                russian: "Это внутренний сервис: отправляйте запросы через шлюз"
            )
        }
        var context = context
        if let userText = request.headers[InternalHeaders.userID] {
            guard let userID = Int64(userText), let sessionID = request.headers[InternalHeaders.sessionID] else {
                throw APIError.unauthorized
            }
            context.caller = Caller(userID: userID, sessionID: sessionID)
        }
        return try await next(request, context)
    }
}
