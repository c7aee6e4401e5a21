import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

/// Seeded fuzzing of what reads outside input: the flag document parser, the JsonLogic evaluator
/// and the kill-rule parser. Each input must be refused with an error or handled; none may stop
/// the process, and what is accepted must behave consistently.
///
/// By default every target runs a fixed number of inputs from a fixed seed. `SWITCHYARD_FUZZ_SECONDS`
/// runs each target for that long instead (from `SWITCHYARD_FUZZ_SEED`, else a seed from the clock,
/// printed so a failure can be replayed); `.ci/run` does so. Every input that once stopped the
/// process is in ``regressions`` and runs first.
@Suite struct FuzzTests {
    /// Inputs that stopped the process before the hardening; each runs before the random ones.
    static let regressions: [(target: String, input: String)] = [
        ("rule", "errorRate > 0.05 over 106751991167d"),
        ("rule", "errorRate > 0.05 over 15m cooldown 106751991167d"),
        ("rule", "errorRate > 0.05 over 15m cooldown 99999999999999999d"),
        ("rule", "errorRate > 0.05 over 9223372036854775807s"),
        (
            "document",
            #"""
            {"flags": {"f": {"state": "ENABLED", "variants": {"a": "a"}, "defaultVariant": "a", "targeting":
              {"reduce": [[\#((1...40).map(String.init).joined(separator: ","))], {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]}}}}
            """#
        ),
        ("document", #"{"flags": {"f": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "b"}}}"#),
    ]

    /// How long each target runs, or `nil` for the fixed number of inputs.
    static var seconds: Double? {
        ProcessInfo.processInfo.environment["SWITCHYARD_FUZZ_SECONDS"].flatMap(Double.init)
    }

    static var seed: UInt64 {
        if let text = ProcessInfo.processInfo.environment["SWITCHYARD_FUZZ_SEED"], let seed = UInt64(text) { return seed }
        return seconds == nil ? 0x5EED : UInt64(Date().timeIntervalSince1970 * 1000)
    }

    /// Runs `body` on inputs until the time or the count is spent; returns how many ran.
    static func run(_ name: String, count: Int, _ body: (inout SeededRandom) throws -> Void) rethrows -> Int {
        let seed = Self.seed
        var random = SeededRandom(seed: seed ^ UInt64(name.utf8.count))
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        var ran = 0
        while deadline.map({ Date() < $0 }) ?? (ran < count) {
            try body(&random)
            ran += 1
        }
        print("fuzz \(name): \(ran) inputs from seed \(seed)")
        return ran
    }

    @Test func theRegressionsAreHandled() throws {
        for (target, input) in Self.regressions {
            switch target {
            case "rule": Self.checkRule(input)
            default: try Self.checkDocument(Array(input.utf8))
            }
        }
    }

    @Test func flagDocumentsFromMutatedText() throws {
        let ran = try Self.run("flag documents", count: 3_000) { random in
            var bytes = Array(Self.corpus[Int(random.next() % UInt64(Self.corpus.count))].utf8)
            for _ in 0..<(1 + random.next() % 4) { Self.mutate(&bytes, &random) }
            try Self.checkDocument(bytes)
        }
        #expect(ran > 0)
    }

    @Test func jsonLogicOnGeneratedRulesAndContexts() throws {
        let ran = try Self.run("jsonlogic", count: 3_000) { random in
            let targeting = Self.rule(depth: 0, &random)
            let document: JSONValue = [
                "flags": [
                    "f": ["state": "ENABLED", "variants": ["a": "a", "b": "b", "true": true, "1": 1], "defaultVariant": "a", "targeting": targeting]
                ],
                "$evaluators": ["seg": Self.rule(depth: 2, &random)],
            ]
            try Self.checkDocument(Array(document.serialized().utf8))
        }
        #expect(ran > 0)
    }

    @Test func killRulesFromGeneratedText() {
        let ran = Self.run("kill rules", count: 5_000) { random in
            let count = 1 + Int(random.next() % 12)
            let words = (0..<count).map { _ in Self.ruleWord(&random) }
            Self.checkRule(words.joined(separator: random.chance(0.1) ? "" : " "))
        }
        #expect(ran > 0)
    }

    // MARK: - Checks

    /// A document either fails to load with problems, or loads and evaluates every flag the same
    /// way twice, within the budget, for a few contexts.
    static func checkDocument(_ bytes: [UInt8]) throws {
        guard let document = try? FlagDocument(bytes: bytes) else { return }
        for context in contexts {
            for key in document.flags.keys {
                let first = document.resolve(key, context: context, timestamp: 1_700_000_000)
                let second = document.resolve(key, context: context, timestamp: 1_700_000_000)
                #expect(first == second, "\(String(decoding: bytes, as: UTF8.self))")
                if first.reason == .error { #expect(first.errorCode != nil && first.value == nil) }
            }
        }
        if let json = try? JSONValue(parsing: bytes) {
            #expect(try JSONValue(parsing: json.serialized()) == json)
        }
    }

    /// A rule text either fails with an error naming a column, or reads to a rule whose text and
    /// JSON forms read back to it and whose durations can be added to any time.
    static func checkRule(_ text: String) {
        do {
            let rule = try KillRule(parsing: text)
            #expect(try KillRule(parsing: rule.text) == rule, "\(text)")
            #expect(try KillRule(json: rule.json) == rule, "\(text)")
            for instant in [Timestamp.distantPast, Timestamp(millisecondsSinceEpoch: 1_764_000_000_000), .distantFuture] {
                _ = instant + rule.window
                _ = instant - rule.window
                _ = rule.cooldown.map { instant + $0 }
            }
        } catch {
            #expect(error.column != nil, "\(text)")
        }
    }

    // MARK: - Generators

    static let corpus: [String] = [
        #"""
        {"flags": {"ai-summary": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off", "targeting":
          {"if": [{"in": [{"var": "email"}, ["a@x.com", "b@x.com"]]}, "on",
            {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]}, ["on", 10], ["off", 90]]}]}}}}
        """#,
        #"""
        {"flags": {"model": {"state": "ENABLED", "variants": {"large": "gpt-large", "small": "gpt-small"}, "defaultVariant": "small",
          "targeting": {"if": [{"sem_ver": [{"var": "version"}, ">=", "1.2.0"]}, "large", null]}}}, "metadata": {"team": "ai"}}
        """#,
        #"""
        {"flags": {"x": {"state": "ENABLED", "variants": {"a": 1, "b": 2.5}, "defaultVariant": "a", "targeting": {"$ref": "pro"}}},
          "$evaluators": {"pro": {"if": [{"==": [{"var": "plan"}, "pro"]}, "b", "a"]}}}
        """#,
        #"""
        {"flags": [{"key": "k", "state": "DISABLED", "variants": {"on": {"m": [1, 2, {"n": null}]}}, "defaultVariant": "on"}],
          "fractionalHashing": "v2"}
        """#,
        #"""
        {"flags": {"r": {"state": "ENABLED", "variants": {"a": "a", "b": "b"}, "defaultVariant": "a",
          "targeting": {"reduce": [{"var": "items"}, {"cat": [{"var": "accumulator"}, {"var": "current"}]}, ""]}}}}
        """#,
    ]

    static let contexts: [EvaluationContext] = [
        EvaluationContext(),
        EvaluationContext(targetingKey: "user-1", attributes: ["email": "a@x.com", "plan": "pro", "version": "1.3.0", "items": ["a", "b", 3]]),
        EvaluationContext(
            targetingKey: "", attributes: ["email": .null, "plan": 7, "version": ["1"], "items": .string(String(repeating: "z", count: 300))]),
    ]

    static let operators = [
        "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "max", "min", "map",
        "filter", "reduce", "all", "none", "some", "merge", "in", "cat", "substr", "var", "missing", "missing_some", "fractional",
        "starts_with", "ends_with", "sem_ver", "$ref", "unknown",
    ]

    static let variables = ["email", "plan", "items", "version", "", "targetingKey", "$flagd.timestamp", "a.b", "current", "accumulator"]

    /// A random JsonLogic rule: operators with random arguments, literals and variables.
    static func rule(depth: Int, _ random: inout SeededRandom) -> JSONValue {
        if depth > 5 || random.chance(0.25) { return literal(&random) }
        if random.chance(0.15) { return ["var": .string(variables[Int(random.next() % UInt64(variables.count))])] }
        let name = operators[Int(random.next() % UInt64(operators.count))]
        if name == "$ref" { return ["$ref": random.chance(0.5) ? "seg" : "nowhere"] }
        let arguments = (0..<Int(random.next() % 4)).map { _ in rule(depth: depth + 1, &random) }
        return .object([name: random.chance(0.1) ? (arguments.first ?? .null) : .array(arguments)])
    }

    static func literal(_ random: inout SeededRandom) -> JSONValue {
        switch random.next() % 9 {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .integer(Int64(bitPattern: random.next()) >> Int64(random.next() % 64))
        case 3: return .double([0.5, -1e308, .leastNonzeroMagnitude, 3.0, -0.0][Int(random.next() % 5)])
        case 4: return .string(["a", "b", "true", "1", "", "pro", "1.2.0", "a@x.com", "é😀"][Int(random.next() % 9)])
        case 5: return .array((0..<Int(random.next() % 5)).map { _ in .integer(Int64(random.next() % 100)) })
        case 6: return .array([.string("a"), .integer(Int64(random.next() % 100))])
        case 7: return ["a": .integer(1)]
        default: return .string(String(repeating: "x", count: Int(random.next() % 40)))
        }
    }

    /// Changes a few bytes: flips, inserts (often JSON punctuation or digits), deletes or repeats a slice.
    static func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom) {
        guard !bytes.isEmpty else {
            bytes = Array("{}".utf8)
            return
        }
        let position = Int(random.next() % UInt64(bytes.count))
        let interesting = Array(#"{}[]",:0123456789-.eE"\u0000\ud800nulltruefalse"#.utf8) + [0xFF, 0xC3, 0x80, 0x00]
        switch random.next() % 5 {
        case 0: bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case 1: bytes.insert(interesting[Int(random.next() % UInt64(interesting.count))], at: position)
        case 2: bytes.remove(at: position)
        case 3:
            let end = min(bytes.count, position + 1 + Int(random.next() % 40))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        default: bytes[position] = interesting[Int(random.next() % UInt64(interesting.count))]
        }
    }

    /// One word of a kill rule: mostly the vocabulary, sometimes extreme numbers and durations.
    static func ruleWord(_ random: inout SeededRandom) -> String {
        let words = [
            "errorRate", "meanOutputChars", "p95LatencyMs", "p99LatencyMs", "negativeFeedbackRate", "outputChars", "ratio", "vs", "control", ">",
            "<", "over", "minSamples", "baseline", "cooldown", "0.05", "0.5", "5000", "3", "20", "1", "0", "-1", "1e308", "NaN", "inf",
            "15m", "1h", "30d", "31d", "365d", "366d", "106751991167d", "9223372036854775807s", "99999999999999999999d", "0s", "-5m",
            "10000000", "10000001", "999999999999", "1.5", "d", "",
        ]
        if random.chance(0.05) { return String(decoding: (0..<Int(random.next() % 6)).map { _ in UInt8(random.next() % 128) }, as: UTF8.self) }
        return words[Int(random.next() % UInt64(words.count))]
    }
}
