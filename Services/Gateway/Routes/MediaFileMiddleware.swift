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
/// Only paths shaped like an avatar key reach the files (``isAvatarPath(_:)``: `avatars/<user id>/<32 hex
/// digits>.<image extension>`), so no encoded byte, directory or other name does; anything else is 404.
/// Files are served by Hummingbird's `FileMiddleware` (which also refuses `..` and serves only files
/// under the directory), without `Range` support: avatars are small, and its handling of open and
/// suffix ranges is wrong (a negative `Content-Length` past the end), so a range request gets the whole
/// file with 200, as HTTP allows. Keys are unique and never rewritten, so images may be cached for good.
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
        guard Self.isAvatarPath(request.uri.path) else { throw APIError(.notFound, detail: "Not found") }
        var head = request.head
        head.headerFields[.range] = nil
        head.headerFields[.ifRange] = nil
        var response = try await files.handle(Request(head: head, body: request.body), context: context, next: next)
        if let noSniff = HTTPField.Name("X-Content-Type-Options") {
            response.headers[noSniff] = MediaHeaders.contentTypeOptions
        }
        response.headers[.contentSecurityPolicy] = MediaHeaders.contentSecurityPolicy
        response.headers[.contentDisposition] = MediaHeaders.contentDisposition(forKey: request.uri.path)
        return response
    }

    /// The image extensions of avatar keys.
    static var imageExtensions: Set<Substring> { ["png", "jpg", "gif", "webp"] }

    /// Whether `path` is `/media/avatars/<user id>/<32 lowercase hex digits>.<image extension>`, as
    /// Users names avatars, spelled with no encoded byte.
    static func isAvatarPath(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 5, segments[0].isEmpty, "/" + segments[1] == basePath, segments[2] == "avatars",
            (1...19).contains(segments[3].utf8.count), segments[3].utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return false }
        let name = segments[4].split(separator: ".", omittingEmptySubsequences: false)
        guard name.count == 2, name[0].utf8.count == 32, imageExtensions.contains(name[1]) else { return false }
        return name[0].utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
