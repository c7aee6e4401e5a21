import SwitchyardCore
import SwitchyardGuard
import Testing

@testable import SwitchyardClient

/// The client's exposure memory: one report per unit, flag and variant in a window, on the
/// calling thread and across threads and windows.
@Suite struct ExposureDeduplicationTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    func memory() -> ExposureMemory { ExposureMemory(window: .seconds(60), now: Self.start) }

    @Test func aRepeatedExposureIsReportedOncePerWindow() {
        let exposures = memory()
        #expect(exposures.isNew("f", "on", "u-1"))
        #expect(!exposures.isNew("f", "on", "u-1"))
        #expect(exposures.isNew("f", "off", "u-1"))
        #expect(!exposures.isNew("f", "on", "u-1"))
        #expect(exposures.isNew("f", "on", "u-2"))
        #expect(exposures.isNew("g", "on", "u-1"))

        exposures.expire(now: Self.start + .seconds(30))
        #expect(!exposures.isNew("f", "on", "u-1"))
        exposures.expire(now: Self.start + .seconds(61))
        #expect(exposures.isNew("f", "on", "u-1"))
        #expect(!exposures.isNew("f", "on", "u-1"))
    }

    @Test func anotherThreadsRepeatIsRecognisedToo() async {
        let exposures = memory()
        #expect(exposures.isNew("f", "on", "u-1"))
        let fromOtherThread = await Task.detached { exposures.isNew("f", "on", "u-1") }.value
        #expect(!fromOtherThread)
    }

    @Test func twoClientsKeepTheirOwnMemories() {
        let first = memory()
        let second = memory()
        #expect(first.isNew("f", "on", "u-1"))
        #expect(second.isNew("f", "on", "u-1"))
        #expect(!first.isNew("f", "on", "u-1"))
        #expect(!second.isNew("f", "on", "u-1"))
    }

    @Test func aFullMemoryReportsRepeatsAgainRatherThanLosingExposures() {
        // One line of eight slots and nine exposures: the ninth pushes out the first.
        let exposures = ExposureMemory(window: .seconds(60), now: Self.start, slotCount: ExposureMemory.ways)
        let fingerprints = (1...ExposureMemory.ways + 1).map { UInt64($0) << 20 }
        #expect(fingerprints.map { exposures.record($0, in: 0) } == Array(repeating: true, count: 9))
        #expect(fingerprints.map { exposures.record($0, in: 0) } == [true] + Array(repeating: false, count: 7) + [true])
    }

    @Test func everyWindowForgetsEvenAfterTheStampsRunOut() {
        let exposures = ExposureMemory(window: .seconds(60), now: Self.start, slotCount: ExposureMemory.ways)
        #expect(exposures.record(42 << 16, in: 0))
        for _ in 0..<70_000 {
            #expect(!exposures.record(42 << 16, in: 0))
            exposures.startWindow()
            #expect(exposures.record(42 << 16, in: 0))
        }
    }
}

extension ExposureMemory {
    /// Records the exposure of `unitKey` to `variant` of `flag` as an evaluation does; returns
    /// whether it is to be reported.
    fileprivate func isNew(_ flag: String, _ variant: String, _ unitKey: String) -> Bool {
        record(slot(flagHash: keyHash(flag), unitHash: keyHash(unitKey)), variantHash: keyHash(variant))
    }
}
