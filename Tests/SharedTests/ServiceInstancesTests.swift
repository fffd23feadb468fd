import Foundation
import NIOCore
import Synchronization
import Testing

@testable import Shared

@Suite struct ServiceInstancesTests {
    @Test func aListIsSplitAndTrimmed() {
        let instances = ServiceInstances(" http://a:1/ , http://b:2,,")
        #expect(instances.urls == ["http://a:1", "http://b:2"])
        #expect(ServiceInstances("http://only:1").urls == ["http://only:1"])
    }

    @Test func requestsAreSpreadRoundRobin() {
        let instances = ServiceInstances("http://a,http://b,http://c")
        let firsts = (0..<6).map { _ in instances.attemptOrder().first?.url }
        #expect(firsts == ["http://a", "http://b", "http://c", "http://a", "http://b", "http://c"])
        #expect(Set(instances.attemptOrder().map(\.url)) == Set(instances.urls))
    }

    @Test func aFailedInstanceIsTriedLastUntilItsQuarantineEnds() {
        let start = ContinuousClock.now
        let elapsed = Mutex(Duration.zero)
        let instances = ServiceInstances(
            "http://a,http://b",
            quarantine: .seconds(5),
            now: { start + elapsed.withLock { $0 } }
        )
        let (a, b) = (instances.all[0], instances.all[1])
        instances.markFailed(a)
        for _ in 0..<4 {
            #expect(instances.attemptOrder().map(\.url) == ["http://b", "http://a"])
        }
        elapsed.withLock { $0 = .milliseconds(4999) }
        #expect(instances.attemptOrder().map(\.url) == ["http://b", "http://a"])
        elapsed.withLock { $0 = .seconds(5) }
        let firsts = Set((0..<2).map { _ in instances.attemptOrder().first?.url })
        #expect(firsts == ["http://a", "http://b"])
        instances.markFailed(b)
        instances.markHealthy(b)
        #expect(Set((0..<2).map { _ in instances.attemptOrder().first?.url }) == ["http://a", "http://b"])
    }

    @Test func firstSuccessMovesOnOnlyWhenRepeatingIsSafe() async {
        struct Refused: Error {}
        let instances = ServiceInstances("http://a,http://b")
        var failed: [String] = []
        // A refused connection never reached the instance: any request moves on.
        let moved = await instances.firstSuccess(
            isIdempotent: false,
            onFailure: { instance, _ in failed.append(instance.url) },
            attempt: { instance in
                if instance.url == "http://a" { throw IOError(errnoCode: ECONNREFUSED, reason: "connect") }
                return instance.url
            }
        )
        #expect(moved == "http://b")
        #expect(failed == ["http://a"])
        // Any other failure stops a request that is not idempotent, and moves an idempotent one on.
        let stopped = await instances.firstSuccess(
            isIdempotent: false,
            onFailure: { _, _ in },
            attempt: { _ -> String in throw Refused() }
        )
        #expect(stopped == nil)
        var tried = 0
        let repeated = await instances.firstSuccess(
            isIdempotent: true,
            onFailure: { _, _ in },
            attempt: { instance -> String in
                tried += 1
                if tried == 1 { throw Refused() }
                return instance.url
            }
        )
        #expect(repeated != nil)
        #expect(tried == 2)
    }

    @Test func rankingIsStableAcrossCallersAndSpreadsKeys() {
        let list = "http://auth-1:8081,http://auth-2:8081,http://auth-3:8081"
        let one = ServiceInstances(list)
        let other = ServiceInstances(list)
        var chosen: [String: Int] = [:]
        for index in 0..<3000 {
            let key = "client-\(index)"
            #expect(one.ranked(for: key) == other.ranked(for: key))
            chosen[one.ranked(for: key)[0].url, default: 0] += 1
        }
        #expect(chosen.count == 3)
        #expect(chosen.values.allSatisfy { (700...1300).contains($0) }, "\(chosen)")
        // Removing an instance moves only the keys it had.
        let two = ServiceInstances("http://auth-1:8081,http://auth-2:8081")
        for index in 0..<500 {
            let key = "client-\(index)"
            let before = one.ranked(for: key)[0].url
            if before != "http://auth-3:8081" { #expect(two.ranked(for: key)[0].url == before) }
        }
    }

    @Test func trustedProxiesMatchAddressesAndRanges() throws {
        let proxies = try TrustedProxies("10.0.0.0/8, 172.28.0.10, ::1, fd00::/8")
        #expect(proxies.contains("10.1.2.3"))
        #expect(proxies.contains("172.28.0.10"))
        #expect(!proxies.contains("172.28.0.11"))
        #expect(proxies.contains("::1"))
        #expect(proxies.contains("fd12::5"))
        #expect(proxies.contains("::ffff:10.9.9.9"))
        #expect(!proxies.contains("11.0.0.1"))
        #expect(!proxies.contains(nil))
        #expect(!proxies.contains("not an address"))
        #expect(TrustedProxies.loopback.contains("127.0.0.1"))
        #expect(!TrustedProxies.loopback.contains("192.168.1.1"))
        #expect(throws: ConfigError.self) { try TrustedProxies("10.0.0.0/33") }
        #expect(throws: ConfigError.self) { try TrustedProxies("nginx") }
    }

    @Test func serviceURLListsAreChecked() throws {
        let config = try MessengerConfig(environment: ["USERS_URL": "http://u1:8082,http://u2:8082"])
        #expect(ServiceInstances(config.resolvedUsersURL).urls == ["http://u1:8082", "http://u2:8082"])
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["AUTH_URL": "http://a:1,auth-2:8081"]) }
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["TRUSTED_PROXIES": "x"]) }
    }
}
