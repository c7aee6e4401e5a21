import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import switchyard

@Suite struct EvalCommandTests {
    static let document = try! FlagDocument(
        text: #"""
            {"flags": {
              "summary": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                "targeting": {"if": [{"==": [{"var": "beta"}, true]}, "on"]}},
              "model": {"state": "ENABLED", "variants": {"a": "gpt-a", "b": "gpt-b"}, "defaultVariant": "a", "metadata": {"team": "ai"}}
            }}
            """#)

    func evaluate(_ line: String) -> String {
        EvaluationRequest(line: Array(line.utf8)).evaluate(in: Self.document).jsonLine
    }

    @Test func writesTheResultFieldsInOrder() {
        #expect(
            evaluate(#"{"flag": "summary", "type": "boolean", "default": false, "context": {"beta": true}}"#)
                == #"{"value":true,"variant":"on","reason":"TARGETING_MATCH","errorCode":null,"errorMessage":null,"metadata":{}}"#)
        #expect(
            evaluate(#"{"flag": "model", "type": "string", "default": "x", "extra": [1]}"#)
                == #"{"value":"gpt-a","variant":"a","reason":"STATIC","errorCode":null,"errorMessage":null,"metadata":{"team":"ai"}}"#)
    }

    @Test func linesThatAreNotRequestsGetAGeneralErrorWithANullValue() {
        for line in ["not json", "[1, 2]", "", #"{"flag": 7, "default": true}"#] {
            #expect(evaluate(line).hasPrefix(#"{"value":null,"variant":null,"reason":"ERROR","errorCode":"GENERAL","errorMessage":""#), "\(line)")
        }
    }

    @Test func errorsServeTheRequestsDefault() {
        #expect(
            evaluate(#"{"flag": "model", "type": "decimal", "default": "d"}"#)
                .hasPrefix(#"{"value":"d","variant":null,"reason":"ERROR","errorCode":"GENERAL","errorMessage":"unknown type \"decimal\""#))
        #expect(
            evaluate(#"{"flag": "model", "type": "integer", "default": 3}"#)
                .hasPrefix(#"{"value":3,"variant":null,"reason":"ERROR","errorCode":"TYPE_MISMATCH""#))
        #expect(
            evaluate(#"{"flag": "model", "type": "string", "default": "d", "context": "user-1"}"#)
                .hasPrefix(#"{"value":"d","variant":null,"reason":"ERROR","errorCode":"INVALID_CONTEXT""#))
        #expect(
            evaluate(#"{"flag": "nope", "type": "boolean", "default": true}"#)
                .hasPrefix(#"{"value":true,"variant":null,"reason":"ERROR","errorCode":"FLAG_NOT_FOUND""#))
    }

    @Test func aNullContextIsAnEmptyContext() {
        #expect(
            evaluate(#"{"flag": "summary", "type": "boolean", "default": true, "context": null}"#)
                .hasPrefix(#"{"value":false,"variant":"off","reason":"DEFAULT","errorCode":null"#))
    }

    @Test func anySkipsTheTypeCheckAndReportsWhatTheFlagResolvesTo() {
        #expect(evaluate(#"{"flag": "model", "type": "any", "default": 0}"#).hasPrefix(#"{"value":"gpt-a","variant":"a","reason":"STATIC""#))
        #expect(evaluate(#"{"flag": "model", "default": 0}"#).hasPrefix(#"{"value":"gpt-a""#))
    }
}

/// The built `switchyard` binary, run as a user runs it.
@Suite struct CommandLineTests {
    func run(_ arguments: [String], input: String = "") async throws -> CommandResult {
        try await CommandProcess.run(arguments, input: input)
    }

    @Test func validateAcceptsTheExamplesFile() async throws {
        let result = try await run(["validate", "examples/flags.json"])
        #expect(result.status == 0)
        #expect(result.output == "examples/flags.json: OK, 4 flags (0 disabled, 1 permanent), 3 shared evaluators, fractional v3\n")
    }

    @Test func aMissingFileIsNamed() async throws {
        let result = try await run(["validate", "examples/no-such-flags.json"])
        #expect(result.status != 0)
        #expect(result.errors.contains("cannot open examples/no-such-flags.json: no such file"))
    }

    @Test func validateListsEveryErrorWithItsPlaceAndFails() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-invalid-\(UUID()).json")
        try Data(
            #"{"flags": {"model": {"state": "ENABLED", "variants": {"a": "x"}, "defaultVariant": "gpt5"}, "s": {"state": "on", "variants": {"a": 1}}}}"#
                .utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await run(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.errors.contains(#"flags.model: defaultVariant "gpt5" is not one of the variants ("a")"#))
        #expect(result.errors.contains(#"flags.s.state: must be "ENABLED" or "DISABLED", found "on""#))
    }

    @Test func evalAnswersEveryLineOfStandardInput() async throws {
        let requests = (0..<500).map {
            #"{"flag": "ai-document-summary", "type": "boolean", "default": false, "context": {"targetingKey": "u-\#($0)"}}"#
        }
        let result = try await run(["eval", "--flags", "examples/flags.json"], input: (requests + ["garbage"]).joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 501)
        #expect(lines.last?.contains(#""errorCode":"GENERAL""#) == true)
    }

    @Test func evalHashesWithTheRequestedGeneration() async throws {
        let request = #"{"flag": "summary-model-version", "type": "string", "default": "", "context": {"targetingKey": "user-77"}}"#
        var answers: [String] = []
        for generation in ["v2", "v3"] {
            answers.append(try await run(["eval", "--flags", "examples/flags.json", "--fractional", generation], input: request + "\n").output)
        }
        #expect(answers.allSatisfy { $0.contains(#""reason":"TARGETING_MATCH""#) })
        #expect(try await run(["eval", "--flags", "examples/flags.json", "--fractional", "v4"], input: "").status != 0)
    }
}
