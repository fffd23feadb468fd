/// A domain error that knows which ``APIError`` it is answered with.
///
/// Domain errors live in each service's `Domain/` with no HTTP in them; their conformance to this
/// protocol lives in `Routes/`, so the mapping to status codes stays at the edge.
public protocol APIErrorConvertible: Error {
    /// The status and message the API answers with for this error.
    var apiError: APIError { get }
}

extension APIError: APIErrorConvertible {
    public var apiError: APIError { self }
}
