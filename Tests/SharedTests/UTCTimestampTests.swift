import Foundation
import Testing

@testable import Shared

@Suite struct UTCTimestampTests {
    @Test func matchesFoundationsISO8601Formatter() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 1_735_732_802.9, 951_782_400, 4_102_444_799, 1_700_000_000] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(UTCTimestamp.iso8601(date) == formatter.string(from: date), "\(seconds)")
        }
        #expect(UTCTimestamp.iso8601(Date(timeIntervalSince1970: 1_735_732_802)) == "2025-01-01T12:00:02Z")
        #expect(UTCTimestamp.compact(Date(timeIntervalSince1970: 1_369_353_600)) == "20130524T000000Z")
    }
}
