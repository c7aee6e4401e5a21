import SwitchyardTestSupport
import Testing

@testable import SwitchyardCore

/// Properties users rely on when they raise a rollout percentage.
@Suite struct RolloutPropertyTests {
    /// A boolean flag serving `on` to `treatment` out of 100,000 weight units, treatment bucket first.
    static func rollout(_ treatment: Int, hashing: FractionalHashing) throws -> FlagDocument {
        try FlagDocument(
            json: [
                "flags": [
                    "ai-summary": [
                        "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
                        "targeting": ["fractional": [["on", .integer(Int64(treatment))], ["off", .integer(Int64(100_000 - treatment))]]],
                    ]
                ]
            ], options: LoadOptions(fractionalHashing: hashing))
    }

    static func treated(_ document: FlagDocument, users: Range<Int>) -> Set<Int> {
        Set(users.filter { document.resolve("ai-summary", context: EvaluationContext(targetingKey: "user-\($0)")).variant == "on" })
    }

    @Test(arguments: FractionalHashing.allCases)
    func raisingThePercentageKeepsEveryoneAlreadyTreated(hashing: FractionalHashing) throws {
        let stages = [100, 1_000, 5_000, 20_000, 50_000, 100_000]  // 0.1 % … 100 %
        var previous: Set<Int> = []
        for stage in stages {
            let current = Self.treated(try Self.rollout(stage, hashing: hashing), users: 0..<20_000)
            #expect(previous.isSubset(of: current), "stage \(stage) dropped \(previous.subtracting(current).count) users")
            previous = current
        }
        #expect(previous.count == 20_000)
    }

    @Test(arguments: FractionalHashing.allCases)
    func fivePercentBucketHoldsFivePercentOfUsers(hashing: FractionalHashing) throws {
        let share = Double(Self.treated(try Self.rollout(5_000, hashing: hashing), users: 0..<100_000).count) / 100_000
        #expect(abs(share - 0.05) <= 0.003, "share \(share)")
    }

    @Test func aUserAlwaysGetsTheSameAnswer() throws {
        let document = try Self.rollout(50_000, hashing: .v3)
        let first = Self.treated(document, users: 0..<2_000)
        #expect(Self.treated(document, users: 0..<2_000) == first)
        #expect(Self.treated(try Self.rollout(50_000, hashing: .v3), users: 0..<2_000) == first)
    }
}

/// Malformed input of any shape must neither crash nor hang the loader or the evaluator.
@Suite struct RobustnessTests {
    static let operators = Operator.allCases.map(\.rawValue) + ["var", "fractional", "$ref", "fractionl", ""]
    static let strings = [
        "", "on", "off", "a", "targetingKey", "email", "user.name", "$flagd.flagKey", "$flagd.timestamp", "1.2.3", "v2", "é", "=", "^", ">=",
    ]

    static func literal(_ random: inout SeededRandom) -> JSONValue {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer([0, 1, -1, 5, 100, Int64.max, Int64.min, 2_147_483_648].randomElement(using: &random)!)
        case 3: return .double([0.5, -0.0, 1e300, -2.5, 3.0, 1e-300].randomElement(using: &random)!)
        default: return .string(strings.randomElement(using: &random)!)
        }
    }

    static func rule(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        guard depth > 0, Int.random(in: 0..<4, using: &random) > 0 else { return literal(&random) }
        if Bool.random(using: &random) {
            return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in rule(&random, depth: depth - 1) })
        }
        let arguments = (0..<Int.random(in: 0..<5, using: &random)).map { _ in rule(&random, depth: depth - 1) }
        return .object([
            operators.randomElement(using: &random)!: Int.random(in: 0..<5, using: &random) == 0 ? (arguments.first ?? .null) : .array(arguments)
        ])
    }

    static func context(_ random: inout SeededRandom) -> EvaluationContext {
        var attributes: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0..<5, using: &random) {
            attributes[strings.randomElement(using: &random)!] = Bool.random(using: &random) ? literal(&random) : rule(&random, depth: 2)
        }
        return EvaluationContext(attributes: attributes)
    }

    @Test func randomTargetingNeverCrashes() throws {
        var random = SeededRandom(seed: 0x5EED)
        var evaluated = 0
        for _ in 0..<3_000 {
            let variants: JSONValue = ["on": true, "off": false, "a": "a", "1": 1]
            let flag: JSONValue = ["state": "ENABLED", "variants": variants, "defaultVariant": "off", "targeting": Self.rule(&random, depth: 5)]
            for hashing in FractionalHashing.allCases {
                guard let document = try? FlagDocument(json: ["flags": ["f": flag]], options: LoadOptions(fractionalHashing: hashing)) else {
                    continue
                }
                for _ in 0..<3 {
                    let resolution = document.resolve("f", context: Self.context(&random))
                    #expect((resolution.reason == .error) == (resolution.errorCode != nil))
                    evaluated += 1
                }
            }
        }
        #expect(evaluated > 10_000)
    }

    @Test func randomDocumentsAreLoadedOrRejectedWithProblems() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<3_000 {
            let document: JSONValue = [
                "flags": ["f": Self.rule(&random, depth: 4)], "$evaluators": Self.rule(&random, depth: 3), "metadata": Self.rule(&random, depth: 2),
            ]
            do {
                _ = try FlagDocument(json: document)
            } catch {
                #expect(!error.problems.isEmpty)
            }
        }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var random = SeededRandom(seed: 7)
        let alphabet = Array(#"{}[]",:0123456789.eE+-truefalsnl\u"#.utf8) + [0x20, 0x0A, 0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            if let value = try? JSONValue(parsing: bytes) {
                #expect((try? JSONValue(parsing: value.serialized())) != nil)
            }
        }
    }
}
