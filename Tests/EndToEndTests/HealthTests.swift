import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The gateway's `/health` when an upstream is only partly reachable.
    @Suite struct HealthTests {
        /// A configuration change: Users listed with a second instance at `port`.
        static func addingUsersInstance(at port: Int) -> (inout MessengerConfig) -> Void {
            { config in config.usersURL = "http://127.0.0.1:\(config.usersPort),http://127.0.0.1:\(port)" }
        }

        /// Users has a second instance that never answers: requests still get through (the live
        /// instance takes them), but `/health` is a 503 naming Users degraded, as the README says.
        @Test func anUpstreamWithADeadInstanceMakesHealthA503() async throws {
            let deadPort = try freePort()
            try await withMessenger(configure: Self.addingUsersInstance(at: deadPort)) { messenger in
                let api = messenger.gateway
                let health = try await api.send(.GET, "/health")
                #expect(health.status == 503)
                #expect(health.object["status"] as? String == "degraded")
                #expect(
                    health.object["upstreams"] as? [String: String]
                        == ["auth": "ok", "users": "degraded", "chat": "ok"]
                )
                // The live instance still serves: registrations (Auth calls Users) and reads go round it.
                let alice = try await api.signUp("alice")
                for name in ["bob", "carol", "dave"] {
                    let user = try await api.signUp(name)
                    let found = try await api.send(.GET, "/users/user/?username=alice", token: "Bearer \(user.token)")
                    #expect(found.status == 200)
                    #expect(found.array.first?["id"] as? Int == alice.id)
                }
            }
        }
    }
}
