import CCurl
import Foundation
import NIOPosix

/// An HTTP client over libcurl for calls to outside services (Yandex ID, S3-compatible storage).
///
/// - Each transfer runs on NIO's blocking thread pool, never on an event loop.
/// - TLS peers are always verified (`CURLOPT_SSL_VERIFYPEER`/`VERIFYHOST`), redirects are not followed,
///   and only `http` and `https` are allowed.
/// - Connect and total timeouts bound every attempt; responses over ``Configuration/maxResponseSize``
///   are cut off with ``OutboundError/Kind/responseTooLarge``.
/// - Idempotent requests are retried a bounded number of times, with exponential backoff, after a
///   connection failure or a 502/503/504; others are sent once.
public struct CurlHTTPClient: Sendable {
    /// Limits of a client.
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(5)
        public var totalTimeout: Duration = .seconds(20)
        public var maxResponseSize = 16 << 20
        public var maxRetries = 2
        public var retryBackoff: Duration = .milliseconds(200)

        public init() {}
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        _ = Self.globalInit
    }

    /// libcurl's process-wide initialisation, once, before any handle exists.
    static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    /// Sends `request`, retrying idempotent ones as described above.
    /// - Throws: ``OutboundError`` when no usable answer came.
    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        var attempt = 0
        while true {
            do {
                let response = try await NIOThreadPool.singleton.runIfActive { [configuration] in
                    try Self.perform(request, configuration: configuration)
                }
                let retriable = [502, 503, 504].contains(response.status)
                guard retriable, request.isIdempotent, attempt < configuration.maxRetries else { return response }
            } catch let error as OutboundError {
                let retriable = error.kind == .unreachable || error.kind == .timeout || error.kind == .transfer
                guard retriable, request.isIdempotent, attempt < configuration.maxRetries else { throw error }
            }
            attempt += 1
            try await Task.sleep(for: configuration.retryBackoff * (1 << (attempt - 1)))
        }
    }

    /// One blocking transfer.
    static func perform(_ request: OutboundRequest, configuration: Configuration) throws -> OutboundResponse {
        guard let handle = curl_easy_init() else { throw OutboundError(.transfer, message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        let sink = TransferSink(limit: configuration.maxResponseSize)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // A body-less POST/PUT must not send "Expect: 100-continue" or wait for it.
        headerList = curl_slist_append(headerList, "Expect:")

        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(configuration.totalTimeout))
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        if request.method == "HEAD" {
            ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        }
        let body = request.body ?? []
        let bodyPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(body.count, 1))
        defer { bodyPointer.deallocate() }
        if request.body != nil {
            bodyPointer.initialize(from: body, count: body.count)
            ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, bodyPointer)
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
            return sink.appendBody(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        ccurl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
            sink.appendHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)

        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            switch code {
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
                throw OutboundError(.unreachable, message: message)
            case CURLE_OPERATION_TIMEDOUT:
                throw OutboundError(.timeout, message: message)
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
                CURLE_SSL_CACERT_BADFILE:
                throw OutboundError(.tls, message: message)
            case CURLE_WRITE_ERROR where sink.isOverLimit:
                throw OutboundError(.responseTooLarge, message: "response over \(configuration.maxResponseSize) bytes")
            default:
                throw OutboundError(.transfer, message: message)
            }
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return OutboundResponse(status: status, headers: sink.headers, body: sink.body)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Collects one transfer's headers and body on the thread that runs it; never shared between threads.
final class TransferSink {
    let limit: Int
    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var isOverLimit = false

    init(limit: Int) {
        self.limit = limit
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            isOverLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response (after 100 Continue or a proxy hop): only the last one's headers count.
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
}
