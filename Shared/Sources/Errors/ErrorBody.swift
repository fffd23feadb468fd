import Hummingbird

/// The JSON body of every failure: `{"detail": "..."}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The human-readable reason.
    public var detail: String

    public init(detail: String) {
        self.detail = detail
    }
}
