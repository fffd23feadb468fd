import AsyncHTTPClient
import HTTPTypes
import NIOCore
import NIOPosix

/// How a call to another instance failed, for deciding whether another instance may take it.
public enum UpstreamFailure {
    /// Whether `error` means no connection was made, so the request never reached the instance and may
    /// go to another one whatever its method. A service of this process that does not listen yet counts
    /// as a refused connection.
    public static func isConnectFailure(_ error: any Error) -> Bool {
        if error is LocalService.NotListening { return true }
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) {
            return true
        }
        return false
    }

    /// Whether repeating a request with `method` on another instance cannot change the outcome.
    public static func isIdempotent(_ method: HTTPRequest.Method) -> Bool {
        [.get, .head, .put, .delete, .options].contains(method)
    }
}
