import Hummingbird
import NIOCore
import Shared
import Testing

@Suite struct ConnectionGuardTests {
    @Test func timeoutsComeFromTheEnvironment() throws {
        #expect(
            MessengerConfig().httpTimeouts == HTTPTimeouts(header: .seconds(10), body: .seconds(60), idle: .seconds(75))
        )
        let config = try MessengerConfig(environment: [
            "HTTP_HEADER_TIMEOUT": "3", "HTTP_BODY_TIMEOUT": "30", "HTTP_IDLE_TIMEOUT": "20",
        ])
        #expect(config.httpTimeouts == HTTPTimeouts(header: .seconds(3), body: .seconds(30), idle: .seconds(20)))
        for (name, value) in [("HTTP_HEADER_TIMEOUT", "0"), ("HTTP_BODY_TIMEOUT", "x"), ("HTTP_IDLE_TIMEOUT", "-1")] {
            #expect(throws: ConfigError.self, "\(name)=\(value)") { try MessengerConfig(environment: [name: value]) }
        }
    }

    @Test func allowedMethodsMatchPathPatterns() {
        let allowed = AllowedMethods(routes: [
            ("/auth/register", .post), ("/private/{chat_id}/messages", .get), ("/private/chat-list", .get),
            ("/auth/qr_auth", .get), ("/auth/qr_auth", .post), ("/media/**", .get), ("/items/:id", .delete),
            ("/items/:id", .get),
        ])
        #expect(allowed.methods(for: "/auth/register/") == [.post])
        #expect(allowed.methods(for: "/private/12/messages") == [.get])
        #expect(allowed.methods(for: "/auth/qr_auth") == [.get, .post])
        #expect(allowed.methods(for: "/media/avatars/1/a.png") == [.get])
        #expect(allowed.methods(for: "/items/3") == [.delete, .get])
        #expect(allowed.methods(for: "/private/12/messages/extra") == nil)
        #expect(allowed.methods(for: "/private") == nil)
        #expect(allowed.methods(for: "/") == nil)
    }
}
