import Hummingbird

/// Applies ``TextSafety``, the one rule for client text, to every query parameter of every request:
/// a name or value whose percent-decoding holds NUL or another control character other than tab and
/// newline is refused with 422 naming the parameter, before any route (or PostgreSQL) sees it.
///
/// A raw control byte cannot be in a request target (the HTTP parser refuses it), so only a query
/// with a `%0`/`%1` escape is decoded and checked; every other request passes untouched.
public struct QueryTextMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let query = request.uri.query, Self.mayHoldControl(query) {
            for (name, value) in request.uri.queryParameters
            where TextSafety.containsForbidden(name) || TextSafety.containsForbidden(value) {
                throw APIError.controlCharacters(inQueryParameter: String(name))
            }
        }
        return try await next(request, context)
    }

    /// Whether `query` has a percent escape of a byte below 0x20 (`%0X` or `%1X`).
    static func mayHoldControl(_ query: String) -> Bool {
        let bytes = Array(query.utf8)
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "%"),
                bytes[index + 1] == UInt8(ascii: "0") || bytes[index + 1] == UInt8(ascii: "1")
            {
                return true
            }
            index += 1
        }
        return false
    }
}
