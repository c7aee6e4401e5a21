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

        events.expireExposures(now: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 30_000))
        #expect(events.expose("f", "on", "u-1") == nil)
        events.expireExposures(now: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 61_000))
        #expect(events.expose("f", "on", "u-1") == 5)
        #expect(events.expose("f", "on", "u-1") == nil)
    }

    @Test func anotherThreadsRepeatIsRecognisedToo() async {
        let events = queue()
        #expect(events.expose("f", "on", "u-1") == 1)
        let fromOtherThread = await Task.detached { events.expose("f", "on", "u-1") }.value
        #expect(fromOtherThread == nil)
        #expect(events.take(10).events.count == 1)
    }

    @Test func twoQueuesKeepTheirOwnMemories() {
        let first = queue()
        let second = queue()
        #expect(first.expose("f", "on", "u-1") == 1)
        #expect(second.expose("f", "on", "u-1") == 1)
        #expect(first.expose("f", "on", "u-1") == nil)
        #expect(second.expose("f", "on", "u-1") == nil)
    }

    @Test func aFullMemoryReportsRepeatsAgainRatherThanLosingExposures() {
        // One line of eight slots and nine exposures: the ninth pushes out the first.
        let memory = ExposureMemory(slotCount: ExposureMemory.ways)
        let fingerprints = (1...ExposureMemory.ways + 1).map { UInt64($0) << 20 }
        #expect(fingerprints.map { memory.record($0, in: 0) } == Array(repeating: true, count: 9))
        #expect(fingerprints.map { memory.record($0, in: 0) } == [true] + Array(repeating: false, count: 7) + [true])
    }

    @Test func everyWindowForgetsEvenAfterTheStampsRunOut() {
        let memory = ExposureMemory(slotCount: ExposureMemory.ways)
        #expect(memory.record(42 << 16, in: 0))
        for _ in 0..<70_000 {
            #expect(!memory.record(42 << 16, in: 0))
            memory.startWindow()
            #expect(memory.record(42 << 16, in: 0))
        }
    }
}

extension EventQueue {
    /// Appends the exposure of `unitKey` to `variant` of `flag` unless it is a repeat, as an
    /// evaluation does; returns how many events are queued, or `nil` for a repeat.
    fileprivate func expose(_ flag: String, _ variant: String, _ unitKey: String) -> Int? {
        let slot = exposures.slot(flagHash: keyHash(flag), unitHash: keyHash(unitKey))
        guard exposures.record(slot, variantHash: keyHash(variant)) else { return nil }
        return append(.event(.exposure(ExposureEvent(flag: flag, variant: variant, reason: "STATIC", unitKey: unitKey, timestamp: .now()))))
    }
}
