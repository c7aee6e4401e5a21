@testable import SwitchyardClient
import Testing

@Suite("SSE parser")
struct ServerSentEventParserTests {
    static let stream =
        ": heartbeat\r\nretry: 1000\r\nid: 7\r\nevent: change\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\ndata: plain\n\nid: 9\revent: document\rdata: x\r\r"

    @Test("events split at every possible byte boundary parse the same")
    func chunking() {
        let bytes = Array(Self.stream.utf8)
        var whole = ServerSentEventParser()
        let expected = whole.feed(bytes)
        #expect(
            expected == [
                ServerSentEvent(name: "change", data: "{\"a\":\n1}", id: "7"),
                ServerSentEvent(name: "message", data: "plain", id: "7"),
                ServerSentEvent(name: "document", data: "x", id: "9"),
            ])
        #expect(whole.retry == 1000)
        for split in 0...bytes.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == expected, "split at \(split)")
        }
    }

    @Test("an event without data and an unterminated event are not dispatched")
    func incomplete() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("event: x\n\ndata: half".utf8)).isEmpty)
        #expect(parser.feed(Array("\n\n".utf8)) == [ServerSentEvent(name: "message", data: "half", id: nil)])
    }
}
