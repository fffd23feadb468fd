import ArgumentParser
import Dispatch
import Shared

/// The program's entry point: runs ``MessengerCommand`` on the global executor while the main thread
/// waits for it.
///
/// Not an `async` main on purpose. On Linux an `async` main hands the main thread to `dispatch_main`,
/// which ends it with `pthread_exit`, and valgrind (3.19, Debian 12) dies on that: `bench/callgrind.sh`,
/// the instruction counts of the request path, could not run the server at all. Nothing in the
/// messenger runs on the main actor or the main queue, so the blocked main thread costs nothing.
@main
enum MessengerMain {
    static func main() {
        MemoryTrimmer.limitArenas()
        let finished = DispatchSemaphore(value: 0)
        // Detached: a task made in `main` would inherit the main actor, whose thread waits below.
        Task.detached {
            await MessengerCommand.main()
            finished.signal()
        }
        finished.wait()
    }
}
