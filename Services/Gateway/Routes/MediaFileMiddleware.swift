import HTTPTypes
import Hummingbird
import Logging
import Shared

/// Serves locally stored media (avatars) under `/media/` and marks every answer as an inert file.
///
/// Media come from users and are served from the same origin as `/login`, so each answer (200, 206, 304
/// and HEAD alike) carries `X-Content-Type-Options: nosniff` (a browser never guesses HTML or script
/// from the bytes), `Content-Security-Policy: default-src 'none'; sandbox` (a file opened as a page runs
/// nothing and gets an opaque origin) and `Content-Disposition: inline` with the file's own name.
///
/// Files are served by Hummingbird's `FileMiddleware`, which refuses `..` and serves only files under the
/// directory. Keys are unique and never rewritten, so images may be cached for good.
public struct MediaFileMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The URL path the directory is served under.
    public static var basePath: String { "/media" }

    let files: FileMiddleware<Context, LocalFileSystem>

    /// - Parameters:
    ///   - directory: the local media directory (`DATA_DIR/media`).
    ///   - logger: the logger of file access errors.
    public init(directory: String, logger: Logger) {
        files = FileMiddleware(
            directory,
            urlBasePath: Self.basePath,
            cacheControl: CacheControl([(MediaType(type: .image), [.public, .maxAge(31_536_000), .immutable])]),
            logger: logger
        )
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Only the literal prefix reaches the files: an encoded spelling of `/media/` is an unknown route.
        guard request.uri.path.hasPrefix(Self.basePath + "/") else { return try await next(request, context) }
        var response = try await files.handle(request, context: context, next: next)
        if let noSniff = HTTPField.Name("X-Content-Type-Options") {
            response.headers[noSniff] = MediaHeaders.contentTypeOptions
        }
        response.headers[.contentSecurityPolicy] = MediaHeaders.contentSecurityPolicy
        response.headers[.contentDisposition] = MediaHeaders.contentDisposition(forKey: request.uri.path)
        return response
    }
}
