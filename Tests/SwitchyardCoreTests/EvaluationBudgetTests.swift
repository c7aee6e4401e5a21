import Testing

@testable import SwitchyardCore

@Suite struct EvaluationBudgetTests {
    /// A document with one flag whose targeting is `rule` and variants `a` and `b`.
    static func document(_ rule: String, budget: EvaluationBudget = .default) throws -> FlagDocument {
        try FlagDocument(
            text: #"{"flags": {"f": {"state": "ENABLED", "variants": {"a": "a", "b": "b"}, "defaultVariant": "a", "targeting": \#(rule)}}}"#,
            options: LoadOptions(evaluationBudget: budget))
    }

    static let hundred = "[" + (0..<100).map(String.init).joined(separator: ",") + "]"

    @Test func aReduceThatDoublesAStringStopsAtTheByteBudget() throws {
        let document = try Self.document(
            #"{"if": [{"reduce": [\#(Self.hundred), {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]}, "b", "a"]}"#)
        let resolution = document.resolve("f")
        #expect(resolution.reason == .error)
        #expect(resolution.errorCode == .general)
        #expect(resolution.exceedsBudget)
        #expect(resolution.errorMessage == "targeting of flag \"f\" failed: exceeded the evaluation budget of 1048576 bytes")
    }

    @Test func nestedArrayOperationsStopAtTheOperationBudget() throws {
        let inner = #"{"all": [\#(Self.hundred), {"all": [\#(Self.hundred), true]}]}"#
        let document = try Self.document(#"{"if": [{"all": [\#(Self.hundred), \#(inner)]}, "b", "a"]}"#)
        let resolution = document.resolve("f")
        #expect(resolution.errorCode == .general)
        #expect(resolution.errorMessage?.contains("exceeded the evaluation budget of 100000 operations") == true)
    }

    @Test func nestedMapsStopAtTheBudget() throws {
        let inner = #"{"map": [\#(Self.hundred), {"map": [\#(Self.hundred), {"var": ""}]}]}"#
        let document = try Self.document(#"{"if": [{"map": [\#(Self.hundred), \#(inner)]}, "b", "a"]}"#)
        let resolution = document.resolve("f")
        #expect(resolution.errorCode == .general)
        #expect(resolution.exceedsBudget)
    }

    @Test func theBudgetIsConfigurableAndCountsPerEvaluation() throws {
        let rule = #"{"if": [{"some": [{"var": "items"}, {"==": [{"var": ""}, "x"]}]}, "b", "a"]}"#
        let document = try Self.document(rule, budget: EvaluationBudget(operations: 5, bytes: 1 << 20))
        let five = EvaluationContext(attributes: ["items": ["p", "q", "r", "s", "x"]])
        #expect(document.resolve("f", context: five).variant == "b")
        #expect(document.resolve("f", context: five).variant == "b")
        let six = EvaluationContext(attributes: ["items": ["p", "q", "r", "s", "t", "x"]])
        #expect(document.resolve("f", context: six).errorCode == .general)
        #expect(try Self.document(rule).resolve("f", context: six).variant == "b")
    }

    @Test func theOtherFlagsOfTheDocumentStillWork() throws {
        let document = try FlagDocument(
            text: #"""
                {"flags": {
                  "costly": {"state": "ENABLED", "variants": {"a": "a"}, "defaultVariant": "a",
                    "targeting": {"reduce": [\#(Self.hundred), {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]}},
                  "cheap": {"state": "ENABLED", "variants": {"a": "a", "b": "b"}, "defaultVariant": "a", "targeting": {"if": [true, "b", "a"]}}
                }}
                """#)
        #expect(document.resolve("costly").errorCode == .general)
        #expect(document.resolve("cheap").variant == "b")
    }
}
