import Testing

@testable import SwitchyardCore

@Suite struct EvaluationTests {
    static let document: FlagDocument = try! FlagDocument(
        text: #"""
            {
              "metadata": {"team": "ai", "version": "7"},
              "flags": {
                "static": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on", "metadata": {"version": "8"}},
                "code-default": {"state": "ENABLED", "variants": {"on": true}},
                "disabled": {"state": "DISABLED", "variants": {"on": true}, "defaultVariant": "on"},
                "numbers": {"state": "ENABLED", "variants": {"whole": 10.0, "fraction": 3.5, "int": 7}, "defaultVariant": "whole",
                  "targeting": {"if": [{"==": [{"var": "pick"}, "fraction"]}, "fraction", {"==": [{"var": "pick"}, "int"]}, "int", null]}},
                "self-aware": {"state": "ENABLED", "variants": {"self-aware": "yes", "other": "no"}, "defaultVariant": "other",
                  "targeting": {"var": "$flagd.flagKey"}},
                "clock": {"state": "ENABLED", "variants": {"past": "p", "future": "f"}, "defaultVariant": "past",
                  "targeting": {"if": [{">": [{"var": "$flagd.timestamp"}, 1700000000]}, "future", "past"]}},
                "bad-variant": {"state": "ENABLED", "variants": {"a": "a"}, "defaultVariant": "a", "targeting": {"cat": ["b"]}}
              }
            }
            """#)

    @Test func reportsStaticDefaultAndDisabledWithMergedMetadata() {
        let document = Self.document
        #expect(document.resolve("static") == Resolution(value: true, variant: "on", reason: .static, metadata: ["team": "ai", "version": "8"]))
        #expect(document.resolve("code-default") == Resolution(value: nil, variant: nil, reason: .default, metadata: ["team": "ai", "version": "7"]))
        #expect(document.resolve("disabled").reason == .disabled)
        #expect(document.resolve("disabled", as: .boolean, default: false).value == false)
        let missing = document.resolve("nope", as: .string, default: "fallback")
        #expect(missing.value == "fallback")
        #expect(missing.errorCode == .flagNotFound)
        #expect(missing.errorMessage == #"flag "nope" does not exist"#)
    }

    @Test func convertsNumbersOnlyWhenNothingIsLost() {
        let document = Self.document
        #expect(document.resolve("numbers", as: .integer, default: 0).value == .integer(10))
        #expect(document.resolve("numbers", as: .float, default: 0.0, context: EvaluationContext(attributes: ["pick": "int"])).value == .double(7))
        let lossy = document.resolve("numbers", as: .integer, default: 1, context: EvaluationContext(attributes: ["pick": "fraction"]))
        #expect(lossy.value == 1)
        #expect(lossy.errorCode == .typeMismatch)
        #expect(lossy.variant == nil)
        #expect(document.resolve("static", as: .string, default: "x").errorCode == .typeMismatch)
        #expect(document.resolve("code-default", as: .string, default: "x").errorCode == nil)
    }

    @Test func targetingReturningNullServesTheDefaultVariantWithReasonDefault() {
        let resolution = Self.document.resolve("numbers", context: EvaluationContext(attributes: ["pick": "none"]))
        #expect(resolution.variant == "whole")
        #expect(resolution.reason == .default)
    }

    @Test func injectsFlagdPropertiesOverTheCallersOwn() {
        let context = EvaluationContext(attributes: ["$flagd": ["flagKey": "other"]])
        #expect(Self.document.resolve("self-aware", context: context).variant == "self-aware")
        #expect(Self.document.resolve("clock", timestamp: 1_600_000_000).variant == "past")
        #expect(Self.document.resolve("clock", timestamp: 1_800_000_000).variant == "future")
        #expect(Self.document.resolve("clock").variant == "future")
    }

    @Test func aVariantNameThatDoesNotExistIsAGeneralError() {
        let resolution = Self.document.resolve("bad-variant")
        #expect(resolution.errorCode == .general)
        #expect(resolution.value == nil)
    }
}

/// The JsonLogic dialect, one operator at a time.
@Suite struct JsonLogicTests {
    func evaluate(_ rule: String, _ data: [String: JSONValue] = [:]) throws -> JSONValue {
        var compiler = RuleCompiler(flagKey: "flag", hashing: .v3)
        let compiled = compiler.compile(try JSONValue(parsing: rule), path: "rule")
        var scope = RuleScope(timestamp: 42, budget: .default)
        return try compiled.evaluate(EvaluationContext(attributes: data), &scope)
    }

    @Test(arguments: [
        (#"{"var": "a.b.1"}"#, #""x""#),
        (#"{"var": ["missing", "fallback"]}"#, #""fallback""#),
        (#"{"var": ""}"#, #"{"$flagd":{"flagKey":"flag","timestamp":42},"a":{"b":[0,"x"]},"n":5}"#),
        (#"{"missing": ["a", "zz", "n"]}"#, #"["zz"]"#),
        (#"{"missing_some": [1, ["a", "zz"]]}"#, "[]"),
        (#"{"if": [false, 1, false, 2]}"#, "null"),
        (#"{"if": [false, 1, 3]}"#, "3"),
        (#"{"==": [1, "1"]}"#, "true"),
        (#"{"===": [1, "1"]}"#, "false"),
        (#"{"===": [1, 1.0]}"#, "true"),
        (#"{"!=": [null, 0]}"#, "true"),
        (#"{"!": [[]]}"#, "true"),
        (#"{"!!": "0"}"#, "true"),
        (#"{"or": [0, "", "x"]}"#, #""x""#),
        (#"{"and": [1, 0, 2]}"#, "0"),
        (#"{"<": [1, {"var": "n"}, 10]}"#, "true"),
        (#"{"<=": [5, {"var": "n"}, 5]}"#, "true"),
        (#"{">": ["b", "a"]}"#, "true"),
        (#"{"+": [1, 2, "3"]}"#, "6.0"),
        (#"{"+": [1, 2]}"#, "3"),
        (#"{"-": [7]}"#, "-7"),
        (#"{"*": [2, 2.5]}"#, "5.0"),
        (#"{"/": [1, 4]}"#, "0.25"),
        (#"{"/": [1, 0]}"#, "null"),
        (#"{"%": [7, 3]}"#, "1"),
        (#"{"max": [1, 9.5, 3]}"#, "9.5"),
        (#"{"min": []}"#, "null"),
        (#"{"merge": [[1], 2, [[3]]]}"#, "[1,2,[3]]"),
        (#"{"in": ["ell", "hello"]}"#, "true"),
        (#"{"in": [2, [1, 2.0]]}"#, "true"),
        (#"{"cat": [" a", 1.5, null, "b "]}"#, #""a1.5nullb""#),
        (#"{"cat": [null]}"#, #""null""#),
        (#"{"in": [null, "nullable"]}"#, "true"),
        (#"{"substr": [null, 1]}"#, #""ull""#),
        (#"{"+": [1, null]}"#, "null"),
        (#"{"*": [2, true]}"#, "null"),
        (#"{"-": [5, null]}"#, "5.0"),
        (#"{"<": [null, 1]}"#, "true"),
        (#"{"==": [null, 0]}"#, "false"),
        (#"{"max": [null, -1]}"#, "0.0"),
        (#"{"substr": ["jsonlogic", -5]}"#, #""logic""#),
        (#"{"substr": ["jsonlogic", 1, -5]}"#, #""son""#),
        (#"{"map": [[1, 2], {"*": [{"var": ""}, 2]}]}"#, "[2,4]"),
        (#"{"filter": [[1, 2, 3], {">": [{"var": ""}, 1]}]}"#, "[2,3]"),
        (#"{"reduce": [[1, 2, 3], {"+": [{"var": "current"}, {"var": "accumulator"}]}, 10]}"#, "16"),
        (#"{"all": [[], true]}"#, "false"),
        (#"{"some": [[0, 1], {"var": ""}]}"#, "true"),
        (#"{"none": [[0, ""], {"var": ""}]}"#, "true"),
        (#"{"starts_with": ["model-gpt", "model"]}"#, "true"),
        (#"{"ends_with": ["a@acme.com", "@acme.com"]}"#, "true"),
        (#"{"ends_with": [5, "5"]}"#, "null"),
        (#"{"sem_ver": ["v1.2.3", ">=", "1.2"]}"#, "true"),
        (#"{"sem_ver": ["1.0.0-alpha", "<", "1.0.0"]}"#, "true"),
        (#"{"sem_ver": ["1.0.0-alpha.2", ">", "1.0.0-alpha.10"]}"#, "false"),
        (#"{"sem_ver": ["2.1.0", "~", "2.1.9"]}"#, "true"),
        (#"{"sem_ver": ["01.0.0", "=", "1.0.0"]}"#, "null"),
        (#"{"sem_ver": ["1.0.0", "=="]}"#, "null"),
    ])
    func evaluatesOperators(rule: String, expected: String) throws {
        let value = try evaluate(rule, ["a": ["b": [0, "x"]], "n": 5])
        #expect(value == (try JSONValue(parsing: expected)))
    }

    @Test func stringOperatorsReadTheElementInsideArrayOperations() throws {
        let rule = #"{"filter": [{"var": "items"}, {"starts_with": [{"var": "e"}, "a"]}]}"#
        #expect(try evaluate(rule, ["e": "a-from-the-context", "items": [["e": "ax"], ["e": "bx"]]]) == [["e": "ax"]])
        #expect(try evaluate(#"{"ends_with": [{"var": "e"}, "context"]}"#, ["e": "a-from-the-context"]) == true)
        #expect(try evaluate(#"{"ends_with": [{"var": "missing"}, "x"]}"#, ["e": "x"]) == .null)
    }

    @Test func unknownOperatorsFailOnlyWhenReached() throws {
        #expect(try evaluate(#"{"if": [true, 1, {"nope": []}]}"#) == 1)
        #expect(throws: RuleFailure.self) { try evaluate(#"{"if": [false, 1, {"nope": []}]}"#) }
    }
}
