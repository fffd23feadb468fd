import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO

/// Renders every failure as `{"detail": ...}` with the right status, in the caller's language.
///
/// Put it first on every router. It renders ``APIErrorConvertible`` errors, reshapes Hummingbird's own
/// `HTTPError` (bad parameters, unknown routes, oversized bodies), and answers anything else with a
/// generic 500 after logging it in full, so internals never reach the client.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let language = Language(acceptLanguage: request.headers[.acceptLanguage])
            let apiError = Self.apiError(for: error, logger: context.logger)
            return Self.response(for: apiError, in: language)
        }
    }

    /// Maps any error to the ``APIError`` it is answered with.
    static func apiError(for error: any Error, logger: Logger) -> APIError {
        switch error {
        case let convertible as any APIErrorConvertible:
            return convertible.apiError
        case let httpError as HTTPError:
            return APIError(httpError.status, detail: httpError.body ?? Self.defaultDetail(for: httpError.status))
        case let responseError as any HTTPResponseError:
            return APIError(responseError.status, detail: Self.defaultDetail(for: responseError.status))
        case let psql as PSQLError where psql.serverInfo == nil:
            logger.error("request.database_unreachable", metadata: ["error": "\(String(reflecting: psql))"])
            return APIError.unavailable("Database")
        default:
            logger.error("request.unhandled_error", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.internalServerError, detail: "Internal server error", russian: "Внутренняя ошибка сервера")
        }
    }

    /// Renders `error` as a JSON response.
    public static func response(for error: APIError, in language: Language) -> Response {
        let body = ErrorBody(detail: error.detail(in: language))
        let data = (try? JSONEncoder.api.encode(body)) ?? Data(#"{"detail":"error"}"#.utf8)
        var response = Response.json(ByteBuffer(bytes: data), status: error.status)
        if error.status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        return response
    }

    static func defaultDetail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .contentTooLarge: "Request body is too large"
        default: status.reasonPhrase
        }
    }
}
