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

@Suite struct LegacyNestingTests {
    @Test func aWriteWhoseChangeWouldNestTooDeeplyIsRefusedNotCommitted() throws {
        var targeting: JSONValue = ["==": [["var": "plan"], "pro"]]
        for _ in 0..<60 { targeting = ["if": [targeting, "on", "off"]] }
        let deep: JSONValue = ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "targeting": targeting]
        #expect(deep.nestingDepth > JSONValue.maximumDefinitionNestingDepth)
        let now = Date()
        let legacy = EnvironmentState(
            name: "production", flags: ["deep": StoredFlag(key: "deep", definition: deep, version: 1, kill: nil, createdAt: now, updatedAt: now)])
        let error = #expect(throws: StoreError.self) {
            try legacy.applying(.createSegment(name: "pros", rule: ["==": [["var": "plan"], "pro"]]), by: .system, reason: nil, at: now)
        }
        #expect(error?.problems.first?.message.hasPrefix("the change would nest 126 levels, more than 66") == true)
    }
}
