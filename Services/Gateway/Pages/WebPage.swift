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

    /// The response serving this file.
    public var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: https:; connect-src 'self' ws: wss:; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
