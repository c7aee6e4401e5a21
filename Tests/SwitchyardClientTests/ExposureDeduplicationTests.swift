import SwitchyardCore
import SwitchyardGuard
import Testing

@testable import SwitchyardClient

/// The queue's exposure deduplication, on the calling thread and across threads and windows.
@Suite struct ExposureDeduplicationTests {
    func queue() -> EventQueue { EventQueue(capacity: 100, exposureWindow: .seconds(60)) }

    @Test func aRepeatedExposureIsQueuedOncePerWindow() {
        let events = queue()
        #expect(events.expose("f", "on", "u-1") == 1)
        #expect(events.expose("f", "on", "u-1") == nil)
        #expect(events.expose("f", "off", "u-1") == 2)
        #expect(events.expose("f", "on", "u-1") == nil)
        #expect(events.expose("f", "on", "u-2") == 3)
        #expect(events.expose("g", "on", "u-1") == 4)

        events.expireExposures(now: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 61_000))
        #expect(events.expose("f", "on", "u-1") == 5)
        #expect(events.expose("f", "on", "u-1") == nil)
    }

    @Test func anotherThreadsRepeatIsRecognisedToo() async {
        let events = queue()
        #expect(events.expose("f", "on", "u-1") == 1)
        let fromOtherThread = await Task.detached {
            events.expose("f", "on", "u-1")
        }.value
        #expect(fromOtherThread == nil)
        #expect(events.take(10).events.count == 1)
    }

    @Test func twoQueuesOnOneThreadKeepTheirOwnWindows() {
        let first = queue()
        let second = queue()
        #expect(first.expose("f", "on", "u-1") == 1)
        #expect(second.expose("f", "on", "u-1") == 1)
        #expect(first.expose("f", "on", "u-1") == nil)
        #expect(second.expose("f", "on", "u-1") == nil)
    }
}

extension EventQueue {
    /// Appends the exposure of `unitKey` to `variant` of `flag`, as an evaluation does.
    fileprivate func expose(_ flag: String, _ variant: String, _ unitKey: String) -> Int? {
        ThreadMemory.current._withUnsafeGuaranteedRef { memory in
            appendExposure(
                flag: flag, flagHash: keyHash(flag), variant: variant, reason: .static, unitKey: unitKey, unitHash: keyHash(unitKey),
                remembering: memory.exposures)
        }
    }
}
