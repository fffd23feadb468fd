import Shared
import Testing

@Suite struct MultipartFormDataTests {
    private func parse(_ text: String, boundary: String = "B") throws(MultipartError) -> MultipartFormData {
        try MultipartFormData(parsing: Array(text.utf8), boundary: boundary)
    }

    @Test func readsFieldsFilesAndEmptyParts() throws {
        let form = try parse(
            "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
                + "--B  \r\ncontent-disposition: form-data; name=avatar_file; filename=\"p \\\"q\\\".png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\r\n--B\r\n\r\n\r\n--B--\r\nepilogue"
        )
        #expect(form.parts.count == 3)
        #expect(form.parts[0].fieldName == "a")
        #expect(String(decoding: form.parts[0].body, as: UTF8.self) == "one")
        #expect(form.parts[1].fieldName == "avatar_file")
        #expect(form.parts[1].fileName == "p \"q\".png")
        #expect(form.parts[1].header("CONTENT-TYPE") == "image/png")
        #expect(form.parts[1].body.isEmpty)
        #expect(form.parts[2].headers.isEmpty)
        #expect(form.parts[2].body.isEmpty)
    }

    @Test func contentMayHoldAnythingButTheDelimiter() throws {
        // Anything but CRLF "--B", which RFC 2046 reserves for the delimiter (a sender picks a boundary
        // its content does not hold).
        let content: [UInt8] = [0, 255, 13, 10, 45, 45, 65, 66, 13, 13, 10, 10, 45, 45, 66]
        let body =
            Array("--B\r\nContent-Disposition: form-data; name=f\r\n\r\n".utf8) + content
            + Array("\r\n--B--".utf8)
        let form = try MultipartFormData(parsing: body, boundary: "B")
        #expect(Array(form.parts[0].body) == content)
        let clash = Array("--B\r\n\r\nx\r\n--BC\r\n--B--".utf8)
        #expect(throws: MultipartError.malformedDelimiter) { try MultipartFormData(parsing: clash, boundary: "B") }
    }

    @Test func refusesWhatBreaksTheGrammar() {
        let cases: [(String, MultipartError)] = [
            ("", .missingFirstDelimiter),
            ("no delimiter", .missingFirstDelimiter),
            ("--B\r\nA: b\r\n\r\nbody without end", .missingClosingDelimiter),
            ("--B\r\nA: b", .missingClosingDelimiter),
            ("--Bx\r\n\r\n\r\n--B--", .malformedDelimiter),
            ("--B\r\n: empty name\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\nNo colon\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\n folded: x\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\nA\u{1}: x\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\nA: x\u{0}y\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\nA: x\ry\r\n\r\nx\r\n--B--", .malformedHeader),
            ("--B\r\nA: " + String(repeating: "v", count: 2000) + "\r\n\r\nx\r\n--B--", .limitExceeded),
            (String(repeating: "--B\r\n\r\nx\r\n", count: 17) + "--B--", .limitExceeded),
            ("--B\r\n" + String(repeating: "A: b\r\n", count: 9) + "\r\nx\r\n--B--", .limitExceeded),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text.prefix(40))") { try parse(text) }
        }
        #expect(throws: MultipartError.invalidBoundary) { try parse("--\r\n", boundary: "") }
        #expect(throws: MultipartError.invalidBoundary) { try parse("--a\rb", boundary: "a\rb") }
    }

    @Test func nonASCIIHeaderNamesAreRefusedAndValuesKept() throws {
        let bad = Array("--B\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\nx\r\n--B--".utf8)
        #expect(throws: MultipartError.malformedHeader) { try MultipartFormData(parsing: bad, boundary: "B") }
        let form = try parse("--B\r\nContent-Disposition: form-data; name=f; filename=\"é.png\"\r\n\r\nx\r\n--B--")
        #expect(form.parts[0].fileName == "é.png")
    }

    @Test func boundaryComesFromTheContentType() {
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartFormData.boundary(fromContentType: "Multipart/Form-Data;BOUNDARY=\"a b\"") == "a b")
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; charset=x; boundary=z") == "z")
        for invalid in [
            "text/plain; boundary=abc", "multipart/form-data", "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"a\r\"", "multipart/form-data; boundary=\"unterminated",
            "multipart/form-data; boundary=" + String(repeating: "x", count: 71), "",
        ] {
            #expect(MultipartFormData.boundary(fromContentType: invalid) == nil, "\(invalid)")
        }
    }
}

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decodeBytes(text) == bytes)
        }
    }

    @Test func acceptsOnlyTheCanonicalSpelling() {
        #expect(Base64URL.decodeBytes("YQ") == [0x61])
        for other in ["YQ==", "YR", "Y", "YQ=", " YQ", "YQ\n", "a+b/", "ab+/", "Y.Q"] {
            #expect(Base64URL.decodeBytes(other) == nil, "\(other)")
        }
    }
}

@Suite struct TextSafetyTests {
    @Test func refusesC0ControlsButTabAndNewline() {
        #expect(TextSafety.containsForbidden("a\u{0}b"))
        #expect(TextSafety.containsForbidden("\u{1F}"))
        #expect(TextSafety.containsForbidden("line\r\n"))
        #expect(!TextSafety.containsForbidden("tab\tand\nnewline, ünïcode ✓"))
    }

    @Test func findsTheFieldOfAnEscapedControl() {
        func field(_ json: String) -> String? {
            let bytes = Array(json.utf8)
            guard TextSafety.jsonMayHoldForbidden(bytes) else { return nil }
            return TextSafety.firstForbiddenField(inJSON: .init(bytes))
        }
        #expect(field(#"{"password":"\u0000abc"}"#) == "password")
        #expect(field(#"{"a":"ok","b":{"c":["x","\u001f"]}}"#) == "b.c.1")
        #expect(field(#"{"text":"line\nbreak\ttab\u0009\u000A"}"#) == nil)
        #expect(field(#"{"text":"not a control: \\u0000"}"#) == nil)
        #expect(field(#"{"k\u0001":"v"}"#) == "k\u{1}")
        #expect(field(#""\u0000""#) == "")
        #expect(field(#"{"broken":"\u00"#) == nil)
        // Found by `make fuzz`: the short escapes of control characters.
        #expect(field(#"{"a":"x","k":"\r"}"#) == "k")
        #expect(field(#"{"b":"\b","f":"ok"}"#) == "b")
        #expect(field(#"{"f":"\f"}"#) == "f")
    }

    @Test func identifiersRefuseInvisibleAndBidiCharacters() {
        #expect(TextSafety.isSafeIdentifier("alice@example.com"))
        for unsafe in ["al\u{200B}ice", "\u{202E}moc.elpmaxe", "a\u{FEFF}", "a\u{2066}b", "a\tb", "a\u{AD}b"] {
            #expect(!TextSafety.isSafeIdentifier(unsafe), "\(unsafe.unicodeScalars.map(\.value))")
        }
    }
}
