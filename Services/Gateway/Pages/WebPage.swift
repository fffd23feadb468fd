import HTTPTypes
import Hummingbird
import NIOCore

/// A static file of the gateway's two web pages, served from memory with a strict content security
/// policy: everything from this origin, nothing inline, no third parties.
public struct WebPage: Sendable {
    public var path: String
    public var contentType: String
    public var body: String

    /// The pages and their scripts and style sheet.
    public static let all: [WebPage] = [
        WebPage(path: "/login", contentType: "text/html; charset=utf-8", body: LoginPage.html),
        WebPage(path: "/qr-login", contentType: "text/html; charset=utf-8", body: PhonePage.html),
        WebPage(path: "/static/login.js", contentType: "text/javascript; charset=utf-8", body: LoginPage.script),
        WebPage(path: "/static/qr-login.js", contentType: "text/javascript; charset=utf-8", body: PhonePage.script),
        WebPage(path: "/static/messenger.css", contentType: "text/css; charset=utf-8", body: PageStyle.css),
    ]

    /// The response serving this file to a request that named `host` in its `Host` header.
    public func response(host: String?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(host: host)
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Everything from this origin only: scripts, styles, images (and `data:` images), and connections
    /// to this origin, with WebSockets (`ws:`/`wss:`) to this host alone, which `'self'` does not cover
    /// in every browser. A `Host` that is not a plain host name, IPv4/IPv6 address and port is left
    /// out, so a forged header cannot add sources to the policy.
    static func contentSecurityPolicy(host: String?) -> String {
        var connect = "'self'"
        if let host, isPlainHost(host) {
            connect += " ws://\(host) wss://\(host)"
        }
        return "default-src 'self'; img-src 'self' data:; connect-src \(connect); frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'"
    }

    static func isPlainHost(_ host: String) -> Bool {
        (1...255).contains(host.utf8.count)
            && host.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default:
                    "-.:[]".utf8.contains(byte)
                }
            }
    }
}
