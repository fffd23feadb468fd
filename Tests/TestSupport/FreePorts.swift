import Foundation
import Shared
import Synchronization

/// A TCP port on 127.0.0.1 for a test server to listen on.
public func freePort() throws -> Int {
    try freePorts(1)[0]
}

/// `count` different TCP ports on 127.0.0.1 for test servers to listen on.
///
/// The ports come from below the kernel's ephemeral range (`ip_local_port_range`), so between being
/// picked here and being bound by the server (often another process) no `bind(0)` of a concurrently
/// running test and no outgoing connection can take them. A port is handed out at most once per test
/// process, and only after a trial bind showed that nothing else holds it.
public func freePorts(_ count: Int) throws -> [Int] {
    try TestPorts.shared.take(count)
}

/// The ports this test process has handed out.
final class TestPorts: Sendable {
    static let shared = TestPorts()

    private let handedOut = Mutex<Set<Int>>([])
    private let range: ClosedRange<Int>

    init() {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralStart = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
        range = 10000...max(10999, ephemeralStart - 1)
    }

    func take(_ count: Int) throws -> [Int] {
        try handedOut.withLock { handedOut in
            var ports: [Int] = []
            var attempts = 0
            while ports.count < count {
                attempts += 1
                guard attempts <= 10_000 else { throw POSIXError(.EADDRINUSE) }
                let candidate = Int.random(in: range)
                guard !handedOut.contains(candidate), PortCheck.isFree(host: "127.0.0.1", port: candidate) else {
                    continue
                }
                handedOut.insert(candidate)
                ports.append(candidate)
            }
            return ports
        }
    }
}
