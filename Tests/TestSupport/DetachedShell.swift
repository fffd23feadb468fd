import Foundation

/// Runs shell scripts that must outlive the test process: clean-up watchers and helper servers.
enum DetachedShell {
    /// Starts `/bin/sh -c script` in a session of its own, with standard streams on `/dev/null`.
    static func run(_ script: String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own: the script outlives the test process and its terminal signals.
        // POSIX_SPAWN_SETSID (glibc 2.26+) is not imported into Swift; 0x80 is its value.
        // Signals start at their defaults and unblocked: the test process ignores SIGTERM (service
        // lifecycle handles it), and an ignored signal would stay ignored in the script's children.
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let command: [String] = ["/bin/sh", "-c", script]
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environ)
    }

    /// A shell-quoted word.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
