import Testing

@testable import Auth

/// The device the phone is shown before it confirms a QR login.
@Suite struct DeviceSummaryTests {
    @Test(arguments: [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome on Linux"
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
                + "Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows"
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on macOS"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iOS"
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile "
                + "Safari/537.36",
            "Chrome on Android"
        ),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
        ("Please confirm: this is your bank", "Unknown device"),
        ("Your bank (Windows)", "Unknown browser on Windows"),
    ])
    func summaries(userAgent: String, expected: String) {
        #expect(DeviceSummary.describe(userAgent: userAgent) == expected)
    }
}
