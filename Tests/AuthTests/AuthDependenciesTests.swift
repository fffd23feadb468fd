import Foundation
import Shared
import Testing

@testable import Auth

@Suite struct AuthDependenciesTests {
    @Test func aQRLoginLinkTooLongForAQRCodeStopsTheStartUp() throws {
        let template = "https://messenger.example.com/qr-login?client_id={client_id}"
        #expect(try AuthDependencies.checkedQRLoginURL(template) == template)
        let tooLong = "https://messenger.example.com/" + String(repeating: "a", count: 3000) + "?client_id={client_id}"
        #expect(throws: ConfigError.self) { try AuthDependencies.checkedQRLoginURL(tooLong) }
        do {
            _ = try AuthDependencies.checkedQRLoginURL(tooLong)
        } catch let error as ConfigError {
            #expect(error.variable == "QR_LOGIN_URL")
        }
    }
}
