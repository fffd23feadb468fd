/// A short, fixed-vocabulary description of a device from its `User-Agent`: "Chrome on Linux", "Safari on iOS".
///
/// The phone shows it before it confirms a QR login. The header is the requester's to choose, so it is never
/// shown as is: only names from the lists below come out, and what is not recognised is left out ("Unknown
/// device" when nothing is), so a User-Agent cannot make the phone display a message of its own.
public enum DeviceSummary {
    /// Browser names by the token that identifies them, most specific first (Edge and Opera also say Chrome,
    /// Chrome also says Safari).
    static let browsers: [(token: String, name: String)] = [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"), ("YaBrowser/", "Yandex Browser"),
        ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]

    /// Operating systems by the token that identifies them, most specific first (Android also says Linux).
    static let systems: [(token: String, name: String)] = [
        ("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"), ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
    ]

    /// The summary of `userAgent` ("Unknown device" when it names neither a known browser nor a known system).
    public static func describe(userAgent: String) -> String {
        let browser = browsers.first { userAgent.contains($0.token) }?.name
        let system = systems.first { userAgent.contains($0.token) }?.name
        switch (browser, system) {
        case (let browser?, let system?): return "\(browser) on \(system)"
        case (let browser?, nil): return browser
        case (nil, let system?): return "Unknown browser on \(system)"
        case (nil, nil): return "Unknown device"
        }
    }
}
