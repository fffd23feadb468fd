import Crypto
import Foundation

/// Keeps generated secrets under `DATA_DIR/secrets`, so a restart keeps sessions and tokens valid.
///
/// A secret given in the environment always wins; only a missing one is generated (random, 32 bytes) and
/// persisted with mode 0600 in a directory with mode 0700.
public struct SecretStore: Sendable {
    /// The directory the secrets live in.
    public let directory: URL

    public init(dataDirectory: String) {
        directory = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(
            "secrets",
            isDirectory: true
        )
    }

    /// The secret called `name`: the stored one, or a new random one that is stored first.
    /// - Returns: base64 of 32 random bytes.
    /// - Throws: ``ConfigError`` when the directory cannot be written.
    public func secret(named name: String) throws -> String {
        let file = directory.appendingPathComponent(name)
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines
        ),
            !existing.isEmpty
        {
            return existing
        }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        do {
            // DATA_DIR itself keeps default permissions (the embedded cluster's user must traverse it);
            // only the secrets directory is private.
            try FileManager.default.createDirectory(
                at: directory.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try FileManager.default.createDirectory(
                at: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            try Data(fresh.utf8).write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw ConfigError(variable: "DATA_DIR", reason: "is not writable: cannot store \(file.path)")
        }
        return fresh
    }
}
