import Foundation
import Testing
@testable import JupyterWire

@Suite struct HeaderFactoryTests {
    @Test func headersShareTheSessionAndGetFreshIDs() {
        let factory = HeaderFactory(session: "session-1", username: "kernel")
        let first = factory.make(msgType: "status")
        let second = factory.make(msgType: "stream")
        #expect(first.session == "session-1")
        #expect(first.username == "kernel")
        #expect(first.msgType == "status")
        #expect(second.msgType == "stream")
        #expect(first.version == HeaderFactory.protocolVersion)
        #expect(first.msgID == "session-1_1")
        #expect(second.msgID == "session-1_2")
    }

    @Test func idsStayUniqueWhenManyThreadsSend() async {
        let factory = HeaderFactory(session: "s", username: "u")
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<1000).map { _ in factory.make(msgType: "stream").msgID } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == 4000)
    }

    @Test func dateIsISO8601WithMicrosecondsInUTC() throws {
        let date = HeaderFactory(session: "s", username: "u").make(msgType: "status").date
        let pattern = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#)
        #expect(date.wholeMatch(of: pattern) != nil)
    }

    @Test func timestampFormatting() {
        // 1795564741 seconds after the epoch is 2026-11-24T23:59:01 UTC.
        #expect(HeaderFactory.timestamp(seconds: 1_795_564_741, microseconds: 123_456) == "2026-11-24T23:59:01.123456Z")
        #expect(HeaderFactory.timestamp(seconds: 0, microseconds: 7) == "1970-01-01T00:00:00.000007Z")
        #expect(HeaderFactory.timestamp(seconds: 253_402_300_799, microseconds: 999_999) == "9999-12-31T23:59:59.999999Z")
    }

    @Test func headerJSONRoundTrips() throws {
        let header = HeaderFactory(session: "s", username: "u").make(msgType: "execute_reply")
        let json = header.json
        #expect(json["msg_id"]?.stringValue == header.msgID)
        #expect(json["msg_type"] == "execute_reply")
        #expect(json.objectValue?.count == 6)
        #expect(try MessageHeader(json: json) == header)
    }

    @Test func missingOptionalFieldsDefaultToEmpty() throws {
        let header = try MessageHeader(json: ["msg_id": "1", "msg_type": "x"])
        #expect(header.session == "")
        #expect(header.date == "")
        #expect(header.extraFields.isEmpty)
    }
}
