import Foundation
import Testing

@testable import PrivateChat

@Suite struct GroupRulesTests {
    static func member(_ id: Int64, _ role: ChatRole, joined seconds: TimeInterval) -> ChatMember {
        ChatMember(userID: id, role: role, lastReadMessageID: 0, joinedAt: Date(timeIntervalSince1970: seconds))
    }

    @Test func theOldestAdminElseTheOldestMemberSucceedsTheOwner() {
        let owner = Self.member(1, .owner, joined: 0)
        let members = [
            owner, Self.member(5, .member, joined: 1), Self.member(4, .admin, joined: 3),
            Self.member(3, .admin, joined: 2),
        ]
        #expect(GroupRules.successor(among: members)?.userID == 3)
        #expect(
            GroupRules.successor(among: [owner, Self.member(7, .member, joined: 5), Self.member(6, .member, joined: 5)]
            )?.userID == 6
        )
        #expect(GroupRules.successor(among: [owner]) == nil)
    }

    @Test(arguments: [
        (ChatRole.owner, ChatRole.admin, true), (.owner, .member, true), (.owner, .owner, false),
        (.admin, .member, true), (.admin, .admin, false), (.admin, .owner, false),
        (.member, .member, false), (.member, .admin, false),
    ])
    func whoMayRemoveWhom(actor: ChatRole, target: ChatRole, allowed: Bool) {
        #expect(GroupRules.canRemove(target, as: actor) == allowed)
    }

    @Test func systemMessageDataIsValidJSONWhateverTheTitle() throws {
        let title = "A \"quoted\" \\ title\n\t\u{1}end"
        let event = SystemEvent.groupCreated(by: (1, "alice"), title: title, members: [2, 3])
        let data = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
        #expect(data["title"] as? String == title)
        #expect(data["member_ids"] as? [Int] == [2, 3])
        let renamed = SystemEvent.titleChanged(to: "\u{7F}new", from: title, by: (1, "alice"))
        let renamedData = try #require(
            try JSONSerialization.jsonObject(with: Data(renamed.data.utf8)) as? [String: Any]
        )
        #expect(renamedData["old_title"] as? String == title)
        #expect(renamedData["title"] as? String == "\u{7F}new")
    }

    @Test func otherMembersDropDuplicatesAndTheCreatorAndKeepOrder() throws {
        #expect(try GroupRules.otherMembers([3, 2, 3, 1, 2], creator: 1, maxMembers: 3) == [3, 2])
        #expect(throws: ChatError.invalidMemberCount(maxOthers: 2)) {
            try GroupRules.otherMembers([2, 3, 4], creator: 1, maxMembers: 3)
        }
        #expect(throws: ChatError.invalidMemberCount(maxOthers: 2)) {
            try GroupRules.otherMembers([1], creator: 1, maxMembers: 3)
        }
    }
}
