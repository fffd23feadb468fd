import HTTPTypes
import Shared

/// The internal token the service tests build their routers with.
public let testInternalToken = "test-internal-token"

/// Headers of a request as the gateway forwards it: the internal token and, when given, the caller.
public func gatewayHeaders(caller: Caller? = nil, language: String? = nil) -> HTTPFields {
    var headers = HTTPFields()
    headers[InternalHeaders.token] = testInternalToken
    headers[.contentType] = "application/json"
    if let caller {
        headers[InternalHeaders.userID] = String(caller.userID)
        headers[InternalHeaders.sessionID] = caller.sessionID
    }
    if let language {
        headers[.acceptLanguage] = language
    }
    return headers
}
