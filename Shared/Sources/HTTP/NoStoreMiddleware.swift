import HTTPTypes
import Hummingbird

/// Marks every answer as not to be stored by any cache: `Cache-Control: no-store` and, for HTTP/1.0
/// caches, `Pragma: no-cache`. Auth's router uses it, because nearly everything Auth answers is a
/// credential (login, refresh, QR tickets and exchanges, Yandex sign-ins) that a shared cache or a
/// browser's disk cache must never keep.
public struct NoStoreMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        return response
    }
}
