import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd.ClusterTests {
    /// A client's gateway is killed (SIGKILL) while messages are being posted; it resumes through nginx on
    /// the other gateway and, counted over the whole run, receives every stored message exactly once,
    /// in order.
    @Test func aClientWhoseGatewayIsKilledResumesThroughNginxAndMissesNothing() async throws {
        try await withCluster { cluster in
            let api = cluster.api
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let chatID = try await api.startChat(as: alice.token, with: bob.id)
            let first = try #require(cluster.instances.first { $0.name == "gateway-1" })
            // Directly on gateway-1, which is killed once ten messages have arrived.
            let (before, poster) = try await withHubConnection(url: "ws://127.0.0.1:\(first.port)/gateway/ws/") {
                socket in
                let ready = try await socket.identify(alice.token)
                // Posted from now on: READY covers what came before.
                let poster = Task {
                    for index in 0..<60 {
                        // A post in flight on the killed gateway may fail: the stored messages are counted.
                        _ = try? await api.send(
                            .POST,
                            "/private/add-message/\(chatID)/",
                            json: ["text": "message \(index)"],
                            token: bob.token
                        )
                        try? await Task.sleep(for: .milliseconds(15))
                    }
                }

                var ids: [Int] = []
                var sequence = ready.sequence ?? 0
                while let frame = try? await socket.nextFrame() {
                    guard frame.object["t"] as? String == "MESSAGE_CREATE" else { continue }
                    let data = try #require(frame.object["d"] as? [String: Any])
                    ids.append(try #require(data["id"] as? Int))
                    sequence = try #require(frame.object["s"] as? Int)
                    if ids.count == 10 { try await cluster.kill("gateway-1") }
                }
                return (
                    (session: try #require(ready.data["session_id"] as? String), sequence: sequence, ids: ids), poster
                )
            }.result
            #expect(before.ids.count >= 10)
            _ = await poster.result
            let stored = try await api.send(.GET, "/private/\(chatID)/messages?limit=100", token: alice.token)
            let expected = stored.array.compactMap { $0["id"] as? Int }.reversed() as [Int]
            #expect(expected.count >= 50)
            let after = try await withHubConnection(url: "ws://127.0.0.1:\(cluster.nginxPort)/gateway/ws/") { socket in
                _ = try await socket.nextFrame()
                try await socket.send(
                    json: [
                        "op": "resume",
                        "d": ["token": alice.token, "session_id": before.session, "seq": before.sequence],
                    ]
                )
                // Every post had its answer before the resume: all of them are replayed before RESUMED.
                var ids: [Int] = []
                while true {
                    let dispatch = try await socket.nextDispatch()
                    if dispatch.type == "RESUMED" { break }
                    if dispatch.type == "MESSAGE_CREATE" { ids.append(try #require(dispatch.data["id"] as? Int)) }
                }
                return ids
            }.result
            #expect(before.ids + after == expected)
        }
    }
}
