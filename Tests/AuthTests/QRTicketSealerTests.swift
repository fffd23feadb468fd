import Foundation
import Shared
import Testing

@testable import Auth

@Suite struct QRTicketSealerTests {
    static let key = Data(repeating: 1, count: 32).base64EncodedString()

    @Test func sealedTicketOpensWithItsClaims() throws {
        let sealer = try QRTicketSealer(base64Key: Self.key)
        let sealed = try sealer.seal(userID: 42, clientID: "abcdefghijklmnop")
        let opened = try sealer.open(sealed.token)
        #expect(opened == sealed.ticket)
        #expect(opened.userID == 42)
        #expect(opened.clientID == "abcdefghijklmnop")
    }

    @Test func ticketCarriesNothingReadable() throws {
        let sealer = try QRTicketSealer(base64Key: Self.key)
        let token = try sealer.seal(userID: 42, clientID: nil).token
        let bytes = try #require(Base64URL.decode(token))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("uid"))
    }

    @Test func ticketExpiresAfterItsLifetime() throws {
        let sealer = try QRTicketSealer(base64Key: Self.key, lifetime: 120)
        let start = Date()
        let token = try sealer.seal(userID: 1, clientID: nil, now: start).token
        #expect(throws: Never.self) { try sealer.open(token, now: start.addingTimeInterval(119)) }
        #expect(throws: QRError.expiredTicket) { try sealer.open(token, now: start.addingTimeInterval(121)) }
    }

    @Test func alteredOrForeignTicketsAreInvalid() throws {
        let sealer = try QRTicketSealer(base64Key: Self.key)
        let other = try QRTicketSealer(base64Key: Data(repeating: 2, count: 32).base64EncodedString())
        var bytes = try #require(Base64URL.decode(try sealer.seal(userID: 1, clientID: nil).token))
        bytes[bytes.count / 2] ^= 1
        #expect(throws: QRError.invalidTicket) { try sealer.open(Base64URL.encode(bytes)) }
        #expect(throws: QRError.invalidTicket) { try sealer.open(try other.seal(userID: 1, clientID: nil).token) }
        #expect(throws: QRError.invalidTicket) { try sealer.open("") }
        #expect(throws: QRError.invalidTicket) { try sealer.open(String(repeating: "A", count: 2000)) }
    }

    @Test func keyMustBe32Bytes() {
        #expect(throws: ConfigError.self) {
            try QRTicketSealer(base64Key: Data(repeating: 1, count: 16).base64EncodedString())
        }
        #expect(throws: ConfigError.self) { try QRTicketSealer(base64Key: "not base64") }
    }
}

@Suite struct QRClientIDTests {
    @Test func acceptsSixteenTo128URLSafeCharacters() {
        #expect(QRClientID.isValid(String(repeating: "a", count: 16)))
        #expect(QRClientID.isValid(String(repeating: "Z", count: 128)))
        #expect(QRClientID.isValid("abc-DEF_0123456789"))
        #expect(!QRClientID.isValid(String(repeating: "a", count: 15)))
        #expect(!QRClientID.isValid(String(repeating: "a", count: 129)))
        #expect(!QRClientID.isValid("abcdefghijklmnop/"))
        #expect(!QRClientID.isValid("abcdefghijklmnopя"))
        #expect(!QRClientID.isValid(nil))
    }
}
