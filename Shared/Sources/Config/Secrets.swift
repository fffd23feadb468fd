/// The secrets of one process, resolved before anything is built: each from the configuration (the
/// environment) when set, otherwise generated once and kept under `DATA_DIR` (``SecretStore``).
public struct Secrets: Sendable {
    /// The shared secret services use to recognise each other (`INTERNAL_TOKEN`).
    public var internalToken: String
    /// Auth's keys, resolved (and generated) only for a process that runs Auth.
    public var auth: AuthKeys?

    /// The keys only Auth holds.
    public struct AuthKeys: Sendable {
        /// The access-token signing key (`JWT_PRIVATE_KEY`).
        public var signingKey: SigningKey
        /// Base64 of the 32-byte key sealing QR tickets (`QR_TICKET_KEY`).
        public var qrTicketKey: String
        /// Base64 of the 32-byte key sealing Yandex sign-in states (`OAUTH_STATE_KEY`).
        public var oauthStateKey: String

        public init(signingKey: SigningKey, qrTicketKey: String, oauthStateKey: String) {
            self.signingKey = signingKey
            self.qrTicketKey = qrTicketKey
            self.oauthStateKey = oauthStateKey
        }
    }

    public init(internalToken: String, auth: AuthKeys?) {
        self.internalToken = internalToken
        self.auth = auth
    }

    /// Resolves the secrets of a process running `services`.
    /// - Throws: ``ConfigError`` when `DATA_DIR` cannot be written or a key is malformed.
    public init(config: MessengerConfig, services: Set<ServiceName>) throws {
        let store = SecretStore(dataDirectory: config.dataDirectory)
        internalToken = try config.internalToken ?? store.secret(named: "internal-token")
        guard services.contains(.auth) else { return }
        auth = AuthKeys(
            signingKey: try SigningKey(base64Seed: config.jwtPrivateKey ?? store.secret(named: "jwt-ed25519-seed")),
            qrTicketKey: try config.qrTicketKey ?? store.secret(named: "qr-ticket-key"),
            oauthStateKey: try config.oauthStateKey ?? store.secret(named: "oauth-state-key")
        )
    }
}
