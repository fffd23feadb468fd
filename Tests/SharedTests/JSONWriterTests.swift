import Foundation
import NIOCore
import Shared
import Testing

@Suite struct JSONWriterTests {
    static let awkwardStrings = [
        "plain", "", "quote \" and backslash \\", "slash / stays", "line\nbreak\r\ttab", "bell \u{07} and \u{1F}",
        "\u{08}\u{0C}", "Привет, мир", "emoji 🙂 and 中文", "\u{7F} delete", "https://example.com/a?b=c&d=e",
    ]

    @Test func userSummariesAreTheSameJSONAsJSONEncoderWrites() throws {
        let users = Self.awkwardStrings.enumerated().map { index, text in
            UserSummary(id: Int64(index) - 3, username: text, avatarURL: index.isMultiple(of: 2) ? nil : text)
        }
        var writer = JSONWriter()
        writer.array(users) { writer, user in user.write(to: &writer) }
        let written = String(buffer: writer.buffer)
        let encoded = String(decoding: try JSONEncoder.api.encode(users), as: UTF8.self)
        #expect(try JSONDecoder().decode([UserSummary].self, from: Data(written.utf8)) == users)
        // The same JSON value (JSONEncoder's member order is unspecified; ours is the order written).
        #expect(try Self.parse(written) == Self.parse(encoded))
        #expect(written.hasPrefix(#"[{"id":-3,"username":"plain","avatar_url":null},{"id":-2,"#))
    }

    @Test func integersAreWrittenAsSwiftPrintsThem() {
        let values: [Int64] = [0, 7, 9, 10, 99, 100, 101, 999_999, 1_000_000, -1, -10, -12345, .max, .min]
        var writer = JSONWriter(capacity: 1)
        writer.object { object in
            object.field("values", values)
            object.field("last", Int64(42))
        }
        #expect(writer.text == #"{"values":["# + values.map(String.init).joined(separator: ",") + #"],"last":42}"#)
    }

    static func parse(_ text: String) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? NSObject)
    }

    @Test func emptyArraysNestedObjectsAndScalars() {
        var writer = JSONWriter()
        writer.object { object in
            object.field("n", Int64.min)
            object.field("zero", Int64(0))
            object.field("max", Int64.max)
            object.field("at", timestamp: Date(timeIntervalSince1970: 1_735_732_802.9))
            object.field("none", Int64?.none)
            object.field("yes", true)
            object.field("inner", UserSummary(id: 1, username: "a", avatarURL: nil))
            object.field("last", "x")
        }
        #expect(
            String(buffer: writer.buffer)
                == #"{"n":-9223372036854775808,"zero":0,"max":9223372036854775807,"at":"2025-01-01T12:00:02Z","none":null,"yes":true,"inner":{"id":1,"username":"a","avatar_url":null},"last":"x"}"#
        )
        #expect(String(buffer: [UserSummary]().jsonResponseBody()) == "[]")
    }
}

extension Array where Element == UserSummary {
    func jsonResponseBody() -> ByteBuffer {
        var writer = JSONWriter()
        writer.array(self) { writer, user in user.write(to: &writer) }
        return writer.buffer
    }
}
