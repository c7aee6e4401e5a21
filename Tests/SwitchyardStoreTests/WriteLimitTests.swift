import Foundation
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite struct WriteLimitTests {
    static let definition: JSONValue = ["state": "ENABLED", "variants": ["on": true], "defaultVariant": "on"]

    @Test func anEnvironmentHoldsAtMostTenThousandFlags() throws {
        let now = Date()
        var flags: [String: StoredFlag] = [:]
        for index in 0..<WriteLimits.flagsPerEnvironment {
            flags["f\(index)"] = StoredFlag(key: "f\(index)", definition: Self.definition, version: 1, kill: nil, createdAt: now, updatedAt: now)
        }
        let full = EnvironmentState(name: "production", flags: flags)
        let error = #expect(throws: StoreError.self) {
            try full.applying(.createFlag(key: "one-more", definition: Self.definition), by: .system, reason: nil, at: now)
        }
        #expect(error?.problems.first?.message == "an environment has at most 10000 flags")
        flags["f0"] = nil
        let room = EnvironmentState(name: "production", flags: flags)
        #expect(throws: Never.self) {
            try room.applying(.createFlag(key: "one-more", definition: Self.definition), by: .system, reason: nil, at: now)
        }
    }

    @Test func anEnvironmentHoldsAtMostOneThousandSegments() throws {
        var segments: [String: StoredSegment] = [:]
        for index in 0..<WriteLimits.segmentsPerEnvironment {
            segments["s\(index)"] = StoredSegment(name: "s\(index)", rule: ["==": [["var": "plan"], .string("p\(index)")]], version: 1)
        }
        let full = EnvironmentState(name: "production", segments: segments)
        let error = #expect(throws: StoreError.self) {
            try full.applying(.createSegment(name: "one-more", rule: ["==": [1, 1]]), by: .system, reason: nil, at: Date())
        }
        #expect(error?.problems.first?.message == "an environment has at most 1000 segments")
    }
}
