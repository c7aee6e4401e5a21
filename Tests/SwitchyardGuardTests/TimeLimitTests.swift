import SwitchyardCore
import Testing

@testable import SwitchyardGuard

@Suite struct TimeLimitTests {
    @Test func timestampArithmeticSaturatesAtTheExtremes() {
        let latest = Timestamp(millisecondsSinceEpoch: .max - 10)
        #expect(latest + .seconds(1) == .distantFuture)
        #expect(Timestamp.distantFuture + .seconds(Int64.max) == .distantFuture)
        #expect(Timestamp(millisecondsSinceEpoch: .min + 10) - .seconds(1) == .distantPast)
        #expect(Timestamp.distantPast + .seconds(-1) == .distantPast)
        #expect(Timestamp.distantFuture - .seconds(-1) == .distantFuture)
        #expect((Timestamp.distantFuture - Timestamp.distantPast).milliseconds == .max)
        #expect((Timestamp.distantPast - Timestamp.distantFuture).milliseconds == .min)
        #expect(Timestamp(minute: .max) == .distantFuture)
        #expect(Timestamp(minute: .min) == .distantPast)
        #expect(Duration.seconds(Int64.max).milliseconds == .max)
        #expect(Timestamp(millisecondsSinceEpoch: 1000) + .seconds(2) == Timestamp(millisecondsSinceEpoch: 3000))
    }

    @Test func aDurationTooLongForMillisecondsReadsAsTheLongestOne() {
        let longest = Duration.milliseconds(Int64.max)
        #expect(Duration(compactText: "106751991167d") == .seconds(106_751_991_167 * 86_400))
        #expect(Duration(compactText: "106751991168d") == longest)
        #expect(Duration(compactText: "9223372036854775807s") == longest)
        #expect(Duration(compactText: "99999999999999999999999d") == longest)
        #expect(Duration(compactText: "3d") == .seconds(3 * 86_400))
        #expect(Duration(compactText: "-3d") == nil)
        #expect(Duration(compactText: "+3d") == nil)
        #expect(Duration(compactText: "d") == nil)
    }

    @Test(arguments: [
        ("errorRate > 0.05 over 31d", "the window must be at most 30d"),
        ("errorRate > 0.05 over 106751991167d", "the window must be at most 30d"),
        ("errorRate > 0.05 over 15m cooldown 366d", "the cooldown must be at most 365d"),
        ("errorRate > 0.05 over 15m cooldown 100000000000d", "the cooldown must be at most 365d"),
        ("errorRate > 0.05 over 15m cooldown 99999999999999999999999d", "the cooldown must be at most 365d"),
        ("errorRate > 0.05 over 15m cooldown 15x", "expected a duration such as 90s, 15m, 1h or 3d"),
        ("errorRate > 0.05 over 15m minSamples 10000001", "minSamples must be a whole number from 1 to 10000000"),
    ])
    func durationsAndCountsBeyondTheLimitsAreRefusedNamingTheLimit(text: String, message: String) throws {
        let error = #expect(throws: KillRuleError.self) { try KillRule(parsing: text) }
        #expect(error?.description.contains(message) == true)
    }

    @Test func theJSONFormHasTheSameLimits() throws {
        let tooLong: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m", "cooldown": "1000d"]
        let error = #expect(throws: KillRuleError.self) { try KillRule(json: tooLong) }
        #expect(error?.description.contains("the cooldown must be at most 365d") == true)
        let many: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m", "minSamples": 20_000_000]
        #expect(throws: KillRuleError.self) { try KillRule(json: many) }
        #expect(try KillRule(parsing: "errorRate > 0.05 over 30d minSamples 10000000 cooldown 365d").cooldown == .seconds(365 * 86_400))
    }

    @Test func aRuleStoredBeforeTheLimitsIsReadClamped() throws {
        let stored: JSONValue = [
            "metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "100000d", "cooldown": "100000000000d", "minSamples": 500_000_000,
        ]
        let rule = try KillRule(storedJSON: stored)
        #expect(rule.window == KillRule.maximumWindow)
        #expect(rule.cooldown == KillRule.maximumCooldown)
        #expect(rule.minSamples == KillRule.maximumMinSamples)
    }
}
