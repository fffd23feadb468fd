import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command to completion off the event loops and returns its status and output.
public enum ProcessRunner {
    /// The result of a finished command.
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Runs `executable` with `arguments`, optionally as another system user (via `runuser`, when root).
    /// Output (stdout and stderr together) goes to a temporary file, so a daemon the command leaves behind
    /// cannot hold a pipe open. The environment is inherited.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        asUser user: String? = nil
    ) async throws -> Outcome {
        try await NIOThreadPool.singleton.runIfActive {
            try runBlocking(executable, arguments, asUser: user)
        }
    }

    static func runBlocking(_ executable: String, _ arguments: [String], asUser user: String?) throws -> Outcome {
        let argv =
            user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] + arguments } ?? [executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "messenger-\(UUID().uuidString).out"
        ).path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        // posix_spawn and waitpid directly: Foundation's Process can miss the exit of a command (pg_ctl)
        // that leaves a daemon behind holding inherited descriptors.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: exitCode, output: text)
    }
}

extension ProcessRunner {
    /// Runs a short command synchronously; `nil` when it cannot be started. For start-up checks only.
    static func runBlockingOrNil(_ executable: String, _ arguments: [String], asUser user: String?) -> Int32? {
        try? runBlocking(executable, arguments, asUser: user).status
    }
}
