/// Answer of `GET /auth/qr_auth/hub/?client_id=`: which device and address opened the hub, shown on the phone
/// before it confirms.
struct QRHubInfo: Encodable {
    /// What the opener's `User-Agent` says it is (``DeviceSummary``).
    var device: String
    /// The opener's address, as the gateway saw it.
    var address: String
}
