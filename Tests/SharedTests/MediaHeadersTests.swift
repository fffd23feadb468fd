import Testing

@testable import Shared

@Suite struct MediaHeadersTests {
    @Test func theDispositionNamesTheKeysLastSegment() {
        #expect(
            MediaHeaders.contentDisposition(forKey: "avatars/7/0123456789abcdef0123456789abcdef.png")
                == "inline; filename=\"0123456789abcdef0123456789abcdef.png\""
        )
        #expect(
            MediaHeaders.contentDisposition(forKey: "/media/avatars/7/a-b_c.gif") == "inline; filename=\"a-b_c.gif\""
        )
    }

    @Test func aNameThatIsNotPlainBecomesMedia() {
        for key in [
            "", "/", "a/\"x.png", "a/x\".png", "a/x;y.png", "a/x\r\nSet-Cookie: y", "a/..", "a/.",
            "a/%2e%2e", "a/é.png", "a/" + String(repeating: "x", count: 129),
        ] {
            #expect(MediaHeaders.contentDisposition(forKey: key) == "inline; filename=\"media\"", "\(key)")
        }
    }
}
