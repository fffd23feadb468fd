import Foundation
import HTTPTypes
import Shared
import Testing

@testable import PrivateChat

/// Group chats: creation, members and roles, leaving, renaming, deleting, and the system messages.
@Suite struct GroupRoutesTests {
    typealias Fixture = ChatFixture
    static let alice = ChatFixture.user(1)
    static let bob = ChatFixture.user(2)
    static let carol = ChatFixture.user(3)
    static let dave = ChatFixture.user(4)
    static let erin = ChatFixture.user(5)

    @Test func creatingAGroupAnswersItsInfoAndRecordsTheCreation() async throws {
        try await withChatApp { app in
            let answer = try await app.send(
                .post,
                "/private/groups/",
                as: Self.alice,
                json: #"{"title": "Team \"A\"", "member_ids": [2, 3, 2, 1]}"#
            )
            #expect(answer.status == .created)
            let group = try #require(answer.json as? [String: Any])
            let id = try #require(group["chat_id"] as? Int)
            #expect(group["id"] as? Int == id)
            #expect(group["type"] as? String == "group")
            #expect(group["title"] as? String == "Team \"A\"")
            #expect((group["owner"] as? [String: Any])?["username"] as? String == "alice")
            #expect((group["created_at"] as? String)?.hasSuffix("Z") == true)
            let members = try #require(group["members"] as? [[String: Any]])
            #expect(members.map { $0["id"] as? Int } == [1, 2, 3])
            #expect(members.map { $0["role"] as? String } == ["owner", "member", "member"])
            #expect(members.allSatisfy { $0["last_read_message_id"] is Int && $0["avatar_url"] != nil })
            // The creation is the group's first message, a system message with its facts in `data`.
            let page = try await app.send(.get, "/private/\(id)/messages", as: Self.bob)
            let first = try #require((page.json as? [[String: Any]])?.first)
            #expect(first["type"] as? String == "group_create")
            #expect(first["text"] as? String == "alice created the group \u{201C}Team \"A\"\u{201D}")
            let data = try #require(first["data"] as? [String: Any])
            #expect(data["member_ids"] as? [Int] == [2, 3])
            #expect(data["title"] as? String == "Team \"A\"")
            // Members post and read as in a private chat; the chat list names the group too.
            let posted = try await app.send(
                .post,
                "/private/add-message/\(id)/",
                as: Self.carol,
                json: #"{"text": "hi all"}"#
            )
            #expect(posted.status == .ok)
            let list = try await app.send(.get, "/private/chat-list/", as: Self.bob)
            #expect((list.json as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
        }
    }

    /// A create request the route refuses, and what it answers.
    struct RefusedCreate: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var json: String
        var status: HTTPResponse.Status
        var detail: String
    }

    static let refusedCreates: [RefusedCreate] = [
        .init(
            testDescription: "empty title",
            json: #"{"title": "", "member_ids": [2]}"#,
            status: .unprocessableContent,
            detail: "title must be 1-100 characters, not only spaces"
        ),
        .init(
            testDescription: "blank title",
            json: #"{"title": "   ", "member_ids": [2]}"#,
            status: .unprocessableContent,
            detail: "title must be 1-100 characters, not only spaces"
        ),
        .init(
            testDescription: "long title",
            json: #"{"title": "\#(String(repeating: "x", count: 101))", "member_ids": [2]}"#,
            status: .unprocessableContent,
            detail: "title must be 1-100 characters, not only spaces"
        ),
        .init(
            testDescription: "nobody else",
            json: #"{"title": "T", "member_ids": [1, 1]}"#,
            status: .unprocessableContent,
            detail: "member_ids must name 1-3 other users"
        ),
        .init(
            testDescription: "no members",
            json: #"{"title": "T", "member_ids": []}"#,
            status: .unprocessableContent,
            detail: "member_ids must name 1-3 other users"
        ),
        .init(
            testDescription: "too many",
            json: #"{"title": "T", "member_ids": [2, 3, 4, 5]}"#,
            status: .unprocessableContent,
            detail: "member_ids must name 1-3 other users"
        ),
        .init(
            testDescription: "unknown user",
            json: #"{"title": "T", "member_ids": [2, 99, 98]}"#,
            status: .notFound,
            detail: "User 99 not found"
        ),
        .init(
            testDescription: "ids as text",
            json: #"{"title": "T", "member_ids": ["2"]}"#,
            status: .unprocessableContent,
            detail: "Field 'member_ids.0' has the wrong type"
        ),
    ]

    @Test(arguments: refusedCreates)
    func aBadGroupIsRefusedAndNothingIsStored(_ refused: RefusedCreate) async throws {
        try await withChatApp(groupMaxMembers: 4) { app in
            let answer = try await app.send(.post, "/private/groups/", as: Self.alice, json: refused.json)
            #expect(answer.status == refused.status)
            #expect((answer.json as? [String: Any])?["detail"] as? String == refused.detail)
            #expect(try await app.count("chats") == 0)
            #expect(try await app.count("members") == 0)
        }
    }

    @Test func ownersAndAdminsManageMembersAndMembersDoNot() async throws {
        try await withChatApp(groupMaxMembers: 4) { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            // A member may not add anyone; the owner may, once (adding again changes nothing).
            #expect(try await app.send(.put, "/private/\(group)/members/4/", as: Self.bob).status == .forbidden)
            #expect(try await app.send(.put, "/private/\(group)/members/4/", as: Self.alice).status == .ok)
            #expect(try await app.send(.put, "/private/\(group)/members/4/", as: Self.alice).status == .ok)
            #expect(try await app.messageTypes(in: group, as: Self.alice) == ["group_create", "member_add"])
            // The group is full at 4; an unknown user is 404 before that.
            let full = try await app.send(.put, "/private/\(group)/members/5/", as: Self.alice)
            #expect(full.status == .unprocessableContent)
            #expect((full.json as? [String: Any])?["detail"] as? String == "A group has at most 4 members")
            #expect(try await app.send(.put, "/private/\(group)/members/99/", as: Self.alice).status == .notFound)
            // Bob becomes admin: he removes members, not admins or the owner.
            let promoted = try await app.send(
                .patch,
                "/private/\(group)/members/2/",
                as: Self.alice,
                json: #"{"role": "admin"}"#
            )
            #expect(promoted.status == .ok)
            #expect(
                try await app.roles(in: group, as: Self.alice) == [1: "owner", 2: "admin", 3: "member", 4: "member"]
            )
            #expect(try await app.send(.delete, "/private/\(group)/members/4/", as: Self.bob).status == .ok)
            #expect(try await app.send(.delete, "/private/\(group)/members/1/", as: Self.bob).status == .forbidden)
            #expect(
                try await app.send(.patch, "/private/\(group)/members/3/", as: Self.bob, json: #"{"role": "admin"}"#)
                    .status == .forbidden
            )
            // The owner removes the admin; removing someone who is not a member is 404.
            #expect(try await app.send(.delete, "/private/\(group)/members/2/", as: Self.alice).status == .ok)
            #expect(try await app.send(.delete, "/private/\(group)/members/2/", as: Self.alice).status == .notFound)
            #expect(
                try await app.messageTypes(in: group, as: Self.alice)
                    == ["group_create", "member_add", "role_change", "member_remove", "member_remove"]
            )
        }
    }

    @Test func aRemovedMemberLosesAccessAtOnceAlsoToHistory() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            _ = try await app.send(.post, "/private/add-message/\(group)/", as: Self.bob, json: #"{"text": "secret"}"#)
            #expect(try await app.send(.delete, "/private/\(group)/members/2/", as: Self.alice).status == .ok)
            #expect(try await app.send(.get, "/private/\(group)/messages", as: Self.bob).status == .forbidden)
            #expect(try await app.send(.get, "/private/\(group)/info/", as: Self.bob).status == .forbidden)
            let post = try await app.send(
                .post,
                "/private/add-message/\(group)/",
                as: Self.bob,
                json: #"{"text": "hi"}"#
            )
            #expect(post.status == .forbidden)
            #expect(
                (try await app.send(.get, "/private/chat-list/", as: Self.bob).json as? [[String: Any]])?.isEmpty
                    == true
            )
            let russian = try await app.send(.get, "/private/\(group)/messages", as: Self.bob, language: "ru")
            #expect((russian.json as? [String: Any])?["detail"] as? String == "Вы не участник этой переписки")
        }
    }

    @Test func whenTheOwnerLeavesTheOldestAdminElseTheOldestMemberTakesOver() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3, 4])
            _ = try await app.send(.patch, "/private/\(group)/members/4/", as: Self.alice, json: #"{"role": "admin"}"#)
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.alice).status == .noContent)
            #expect(try await app.roles(in: group, as: Self.bob) == [2: "member", 3: "member", 4: "owner"])
            // Dave, now owner, leaves with no admin left: Bob, the oldest member, takes over.
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.dave).status == .noContent)
            #expect(try await app.roles(in: group, as: Self.bob) == [2: "owner", 3: "member"])
            #expect(
                try await app.messageTypes(in: group, as: Self.bob)
                    == ["group_create", "role_change", "member_leave", "owner_change", "member_leave", "owner_change"]
            )
            // Removing yourself is leaving; the last member to leave deletes the group.
            #expect(try await app.send(.delete, "/private/\(group)/members/3/", as: Self.carol).status == .noContent)
            #expect(try await app.send(.post, "/private/\(group)/leave/", as: Self.bob).status == .noContent)
            #expect(try await app.send(.get, "/private/\(group)/info/", as: Self.bob).status == .notFound)
            #expect(try await app.count("chats") == 0)
            #expect(try await app.count("messages") == 0)
        }
    }

    @Test func onlyTheOwnerChangesRolesAndOwnershipMovesWhole() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            for (json, status) in [
                (#"{"role": "boss"}"#, HTTPResponse.Status.unprocessableContent),
                (#"{"role": 1}"#, .unprocessableContent),
                (#"{}"#, .unprocessableContent),
            ] {
                #expect(
                    try await app.send(.patch, "/private/\(group)/members/2/", as: Self.alice, json: json).status
                        == status,
                    "\(json)"
                )
            }
            let selfDemotion = try await app.send(
                .patch,
                "/private/\(group)/members/1/",
                as: Self.alice,
                json: #"{"role": "member"}"#
            )
            #expect(selfDemotion.status == .unprocessableContent)
            let transfer = try await app.send(
                .patch,
                "/private/\(group)/members/3/",
                as: Self.alice,
                json: #"{"role": "owner"}"#
            )
            #expect(transfer.status == .ok)
            #expect(((transfer.json as? [String: Any])?["owner"] as? [String: Any])?["id"] as? Int == 3)
            #expect(try await app.roles(in: group, as: Self.alice) == [1: "admin", 2: "member", 3: "owner"])
            #expect(
                try await app.send(.patch, "/private/\(group)/members/2/", as: Self.alice, json: #"{"role": "admin"}"#)
                    .status == .forbidden
            )
            let russian = try await app.send(
                .patch,
                "/private/\(group)/members/2/",
                as: Self.alice,
                json: #"{"role": "admin"}"#,
                language: "ru"
            )
            #expect(
                (russian.json as? [String: Any])?["detail"] as? String
                    == "Ваша роль в этой группе не позволяет это сделать"
            )
        }
    }

    @Test func ownersAndAdminsRenameTheGroup() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2, 3])
            #expect(
                try await app.send(.patch, "/private/\(group)/", as: Self.bob, json: #"{"title": "Mine"}"#).status
                    == .forbidden
            )
            #expect(
                try await app.send(.patch, "/private/\(group)/", as: Self.alice, json: #"{"title": " "}"#).status
                    == .unprocessableContent
            )
            let renamed = try await app.send(
                .patch,
                "/private/\(group)/",
                as: Self.alice,
                json: #"{"title": "Design"}"#
            )
            #expect(renamed.status == .ok)
            #expect((renamed.json as? [String: Any])?["title"] as? String == "Design")
            let page = try await app.send(.get, "/private/\(group)/messages", as: Self.carol)
            let last = try #require((page.json as? [[String: Any]])?.first)
            #expect(last["type"] as? String == "title_change")
            #expect(last["text"] as? String == "alice renamed the group to \u{201C}Design\u{201D}")
            #expect((last["data"] as? [String: Any])?["old_title"] as? String == "Team")
        }
    }

    @Test func aGroupIsDeletedByItsOwnerAndAPrivateChatByEitherMember() async throws {
        try await withChatApp { app in
            let group = try await app.createGroup(as: Self.alice, members: [2])
            #expect(try await app.send(.delete, "/private/\(group)/", as: Self.bob).status == .forbidden)
            #expect(try await app.send(.delete, "/private/\(group)/", as: Self.carol).status == .forbidden)
            #expect(try await app.send(.delete, "/private/\(group)/", as: Self.alice).status == .noContent)
            #expect(try await app.send(.get, "/private/\(group)/messages", as: Self.bob).status == .notFound)
            let chat = try await app.startChat(as: Self.alice, with: 3, text: "hello")
            #expect(try await app.send(.delete, "/private/\(chat)/", as: Self.carol).status == .noContent)
            for caller in [Self.alice, Self.carol] {
                #expect(try await app.send(.get, "/private/\(chat)/info/", as: caller).status == .notFound)
            }
            #expect(try await app.count("messages") == 0)
            #expect(try await app.count("members") == 0)
            // The pair may start a new chat afterwards.
            #expect(try await app.startChat(as: Self.carol, with: 1) != chat)
        }
    }

    @Test func privateChatsHaveNoMembersToManage() async throws {
        try await withChatApp { app in
            let chat = try await app.startChat(as: Self.alice, with: 2)
            for (method, path, json) in [
                (HTTPRequest.Method.put, "/private/\(chat)/members/3/", nil),
                (.delete, "/private/\(chat)/members/2/", nil),
                (.patch, "/private/\(chat)/members/2/", #"{"role": "admin"}"#), (.post, "/private/\(chat)/leave/", nil),
                (.patch, "/private/\(chat)/", #"{"title": "x"}"#),
            ] {
                let answer = try await app.send(method, path, as: Self.alice, json: json)
                #expect(answer.status == .unprocessableContent, "\(method) \(path)")
                #expect(
                    (answer.json as? [String: Any])?["detail"] as? String
                        == "A private chat has no members or roles to manage"
                )
            }
            // Its info keeps seed 003's shape and adds the type and both read markers.
            let info = try #require(
                try await app.send(.get, "/private/\(chat)/info/", as: Self.bob).json as? [String: Any]
            )
            #expect(info["type"] as? String == "private")
            #expect((info["chat_starter"] as? [String: Any])?["id"] as? Int == 1)
            #expect((info["chat_recipient"] as? [String: Any])?["id"] as? Int == 2)
            #expect((info["members"] as? [[String: Any]])?.map { $0["last_read_message_id"] as? Int } == [0, 0])
            // Strangers and unknown chats: 403 and 404, whatever the call.
            #expect(try await app.send(.put, "/private/\(chat)/members/3/", as: Self.carol).status == .forbidden)
            #expect(try await app.send(.put, "/private/999/members/3/", as: Self.alice).status == .notFound)
            #expect(
                try await app.send(.put, "/private/\(chat)/members/x/", as: Self.alice).status == .unprocessableContent
            )
        }
    }

    /// Owner transfers, leaves and promotions at once: the group always ends with exactly one owner.
    @Test func concurrentChangesLeaveExactlyOneOwner() async throws {
        try await withChatApp { app in
            for round in 0..<5 {
                let group = try await app.createGroup(as: Self.alice, title: "Race \(round)", members: [2, 3, 4, 5])
                _ = try await app.send(
                    .patch,
                    "/private/\(group)/members/2/",
                    as: Self.alice,
                    json: #"{"role": "admin"}"#
                )
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { _ = try await app.send(.post, "/private/\(group)/leave/", as: Self.alice) }
                    tasks.addTask {
                        _ = try await app.send(
                            .patch,
                            "/private/\(group)/members/3/",
                            as: Self.alice,
                            json: #"{"role": "owner"}"#
                        )
                    }
                    tasks.addTask {
                        _ = try await app.send(
                            .patch,
                            "/private/\(group)/members/4/",
                            as: Self.alice,
                            json: #"{"role": "owner"}"#
                        )
                    }
                    tasks.addTask { _ = try await app.send(.post, "/private/\(group)/leave/", as: Self.bob) }
                    tasks.addTask { _ = try await app.send(.delete, "/private/\(group)/members/5/", as: Self.bob) }
                    try await tasks.waitForAll()
                }
                let owners = try await app.integer(
                    "SELECT count(*)::int FROM chat.members WHERE chat_id = \(group) AND role = 'owner'"
                )
                #expect(owners == 1, "round \(round)")
            }
        }
    }
}
