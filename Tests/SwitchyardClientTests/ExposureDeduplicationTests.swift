import SwitchyardGuard
import Testing

@testable import SwitchyardClient

/// The queue's exposure deduplication, on the calling thread and across threads and windows.
@Suite struct ExposureDeduplicationTests {
    func queue() -> EventQueue { EventQueue(capacity: 100, exposureWindow: .seconds(60)) }

    @Test func aRepeatedExposureIsQueuedOncePerWindow() {
        let events = queue()
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == 1)
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == nil)
        #expect(events.appendExposure(flag: "f", variant: "off", reason: "STATIC", unitKey: "u-1") == 2)
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-2") == 3)
        #expect(events.appendExposure(flag: "g", variant: "on", reason: "STATIC", unitKey: "u-1") == 4)

        events.expireExposures(now: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 61_000))
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == 5)
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == nil)
    }

    @Test func anotherThreadsRepeatIsRecognisedToo() async {
        let events = queue()
        #expect(events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == 1)
        let fromOtherThread = await Task.detached {
            events.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1")
        }.value
        #expect(fromOtherThread == nil)
        #expect(events.take(10).events.count == 1)
    }

    @Test func twoQueuesOnOneThreadKeepTheirOwnWindows() {
        let first = queue()
        let second = queue()
        #expect(first.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == 1)
        #expect(second.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == 1)
        #expect(first.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == nil)
        #expect(second.appendExposure(flag: "f", variant: "on", reason: "STATIC", unitKey: "u-1") == nil)
    }
}
