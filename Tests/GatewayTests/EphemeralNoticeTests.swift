import Testing

@testable import Gateway

/// Typing and presence reach every gateway as notifications: read back exactly, each under PostgreSQL's
/// 8,000-byte limit however many recipients.
@Suite struct EphemeralNoticeTests {
    @Test func aNoticeReadsBackAsWritten() throws {
        let payload = #"{"user_id":7,"status":"online","last_online_at":"2025-01-01T12:00:00Z"}"#
        let notice = EphemeralNotice(type: "PRESENCE_UPDATE", recipients: [1, 22, 333], payload: payload)
        #expect(notice.text == "ephemeral PRESENCE_UPDATE 1,22,333 " + payload)
        #expect(EphemeralNotice(notification: notice.text) == notice)
        // The outbox's wake-ups and anything malformed are not notices.
        for other in ["appended", "sequenced", "ephemeral TYPING_START", "ephemeral T 1,x {}", "ephemeral T 1 nope"] {
            #expect(EphemeralNotice(notification: other) == nil, "\(other)")
        }
    }

    @Test func manyRecipientsGoInChunksUnderTheLimit() throws {
        let recipients = (1...5000).map { Int64($0) * 1_000_003 }
        let payload = #"{"chat_id":1,"user_id":2,"timestamp":1700000000}"#
        let notices = EphemeralNotice.notices(type: "TYPING_START", payload: payload, to: recipients)
        #expect(notices.count > 1)
        #expect(notices.allSatisfy { $0.text.utf8.count <= EphemeralNotice.maxBytes })
        #expect(notices.flatMap(\.recipients) == recipients)
        #expect(notices.allSatisfy { EphemeralNotice(notification: $0.text) == $0 })
        #expect(EphemeralNotice.notices(type: "TYPING_START", payload: payload, to: []).isEmpty)
    }

    @Test func activeUsersAreTakenOnceAndRestoredAfterAFailedReport() {
        let active = ActiveUsers()
        active.record(1)
        active.record(2)
        active.record(1)
        #expect(active.take() == [1, 2])
        #expect(active.take() == [])
        active.restore([2, 3])
        active.record(4)
        #expect(active.take() == [2, 3, 4])
    }
}
