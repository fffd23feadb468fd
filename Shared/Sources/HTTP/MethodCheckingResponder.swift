import HTTPTypes
import Hummingbird

/// A router's responder that answers a known path asked with a method it does not serve with
/// `405 Method Not Allowed` and an `Allow` header listing the methods it does serve (RFC 9110
/// section 15.5.6), where Hummingbird's router alone answers 404.
///
/// The check runs only when the router answered 404, so routes that are found cost nothing extra,
/// and a 404 from a route that was found (an unknown chat, say) stays a 404.
public struct MethodCheckingResponder<Context: RequestContext>: HTTPResponder {
    let base: RouterResponder<Context>
    let allowed: AllowedMethods

    /// Builds the router's responder, and the table of its paths and methods.
    public init(router: Router<Context>) {
        allowed = AllowedMethods(routes: router.routes.map { ($0.path.description, $0.method) })
        base = router.buildResponder()
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await base.respond(to: request, context: context)
        guard response.status == .notFound, let methods = allowed.methods(for: request.uri.path),
            !methods.contains(request.method)
        else { return response }
        let allow = methods.map(\.rawValue).joined(separator: ", ")
        let error = APIError(
            .methodNotAllowed,
            detail: "Method \(request.method.rawValue) is not allowed here; allowed: \(allow)",
            russian: "Метод \(request.method.rawValue) здесь не поддерживается; допустимы: \(allow)"
        )
        var answer = APIErrorMiddleware<Context>.response(
            for: error,
            in: Language(acceptLanguage: request.headers[.acceptLanguage])
        )
        answer.headers[.allow] = allow
        return answer
    }
}

/// Which methods each route path of a router serves, matched per path segment: `{name}`, `:name` and
/// `*` match any one segment, `**` any rest. Trailing slashes do not count, as in the router.
public struct AllowedMethods: Sendable {
    private var routes: [(segments: [Substring], methods: [HTTPRequest.Method])] = []

    /// `routes`: each route's path pattern (as `RouterPath.description` spells it) and method.
    public init(routes: [(path: String, method: HTTPRequest.Method)]) {
        for (path, method) in routes {
            let segments = path.split(separator: "/")
            if let index = self.routes.firstIndex(where: { $0.segments == segments }) {
                if !self.routes[index].methods.contains(method) { self.routes[index].methods.append(method) }
            } else {
                self.routes.append((segments, [method]))
            }
        }
    }

    /// The methods served at `path`, sorted by name, or nil when no route matches it.
    public func methods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        var found: [HTTPRequest.Method] = []
        for route in routes where Self.matches(route.segments, segments) {
            for method in route.methods where !found.contains(method) { found.append(method) }
        }
        return found.isEmpty ? nil : found.sorted { $0.rawValue < $1.rawValue }
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            let isParameter = segment == "*" || segment.hasPrefix(":") || segment.hasPrefix("{")
            guard isParameter || segment == path[index] else { return false }
            index += 1
        }
        return index == path.count
    }
}
