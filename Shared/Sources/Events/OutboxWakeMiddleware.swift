import Hummingbird

/// Wakes the gateways (``OutboxWaker``) after every public request that may have committed events: a
/// successful one that is not a read. The services write events only on such requests; a wake-up too
/// many costs one notification.
public struct OutboxWakeMiddleware<Context: RequestContext>: RouterMiddleware {
    let waker: OutboxWaker

    public init(waker: OutboxWaker) {
        self.waker = waker
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        if request.method != .get, request.method != .head, (200..<300).contains(response.status.code),
            !request.uri.path.hasPrefix("/internal/")
        {
            waker.wake()
        }
        return response
    }
}
