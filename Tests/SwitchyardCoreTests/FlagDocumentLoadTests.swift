import Testing

@testable import SwitchyardCore

@Suite struct FlagDocumentLoadTests {
    static let authoring = LoadOptions(strictness: .authoring)

    func problems(_ text: String, options: LoadOptions = authoring) -> [String] {
        do {
            _ = try FlagDocument(text: text, options: options)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func namesTheUnknownOperatorAndWhereItIs() {
        let text = #"""
            {"flags": {"ai-summary": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
              "targeting": {"if": [{"==": [{"var": "tier"}, "internal"]}, {"fractionl": [["on", 5], ["off", 95]]}, "off"]}}}}
            """#
        #expect(problems(text) == [#"flags.ai-summary.targeting.if[1]: unknown operator "fractionl""#])
    }

    @Test func flagdModeLoadsWhatFlagdLoadsAndKeepsTheWarning() throws {
        let text = #"{"flags": {"f": {"state": "ENABLED", "variants": {"a": 1, "b": "x"}, "defaultVariant": "a", "targeting": {"nope": [1]}}}}"#
        let document = try FlagDocument(text: text)
        #expect(
            document.warnings.map(\.description) == [
                #"flags.f.variants: all variants must have one type, found number (a), string (b)"#,
                #"flags.f.targeting: unknown operator "nope""#,
            ])
        let resolution = document.resolve("f")
        #expect(resolution.errorCode == .parseError)
        #expect(resolution.reason == .error)
    }

    @Test func rejectsADefaultVariantThatIsNotAVariantWhenAuthoring() {
        let text = #"{"flags": {"model": {"state": "ENABLED", "variants": {"gpt4": "gpt-4o", "mini": "gpt-4o-mini"}, "defaultVariant": "gpt5"}}}"#
        #expect(problems(text, options: Self.authoring) == [#"flags.model: defaultVariant "gpt5" is not one of the variants ("gpt4", "mini")"#])
    }

    @Test func loadsADefaultVariantThatIsNotAVariantAsFlagdDoesAndFailsOnlyThatFlagsDefault() throws {
        let document = try FlagDocument(
            text: #"""
                {"flags": {
                  "model": {"state": "ENABLED", "variants": {"gpt4": "gpt-4o", "mini": "gpt-4o-mini"}, "defaultVariant": "gpt5",
                    "targeting": {"if": [{"==": [{"var": "plan"}, "pro"]}, "gpt4", null]}},
                  "other": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}
                }}
                """#)
        #expect(document.warnings.map(\.description) == [#"flags.model: defaultVariant "gpt5" is not one of the variants ("gpt4", "mini")"#])
        let reachingTheDefault = document.resolve("model")
        #expect(reachingTheDefault.reason == .error)
        #expect(reachingTheDefault.errorCode == .general)
        #expect(reachingTheDefault.value == nil)
        #expect(document.resolve("model", context: EvaluationContext(attributes: ["plan": "pro"])).variant == "gpt4")
        #expect(document.resolve("other").value == true)
    }

    @Test func reportsEveryProblemAtOnce() {
        let text = #"""
            {"flags": {
              "a": {"state": "ON", "variants": {"x": true}},
              "b": {"state": "ENABLED", "variants": {}},
              "c": {"state": "ENABLED", "variants": {"x": [1]}, "colour": "red"},
              "d": "not a flag"
            }, "$evaluators": {"empty": {}}, "metadata": {"team": {"name": "ai"}}}
            """#
        #expect(
            problems(text) == [
                "metadata.team: metadata values must be strings, numbers or booleans, found object",
                "$evaluators.empty: evaluator is empty",
                #"flags.a.state: must be "ENABLED" or "DISABLED", found "ON""#,
                "flags.b.variants: a flag needs at least one variant",
                "flags.c.colour: unknown member; a flag has defaultVariant, key, metadata, safeVariant, state, targeting, variants",
                "flags.c.variants.x: a variant must be a boolean, string, number or object, found array",
                "flags.d: a flag must be an object, found string",
            ])
    }

    @Test func rejectsDocumentsThatAreNotFlagDocuments() {
        #expect(problems("[]") == ["a flag document must be a JSON object, found array"])
        #expect(problems("{}") == [#"flags: missing; a flag document needs a "flags" object"#])
        #expect(problems(#"{"flags": {}, "fractionalHashing": "v4"}"#) == [#"fractionalHashing: must be "v2" or "v3", found "v4""#])
        #expect(problems("{\"flags\": ") == ["invalid JSON at line 1, column 11 (at flags): unexpected end of input, expected a value"])
    }

    @Test func enforcesTheDocumentSizeLimit() {
        let options = LoadOptions(maximumDocumentBytes: 16)
        #expect(problems(#"{"flags": {}, "metadata": {}}"#, options: options) == ["document is 29 bytes, more than the limit of 16"])
    }

    @Test func acceptsTheArrayFormAndRejectsRepeatedKeys() throws {
        let document = try FlagDocument(text: #"{"flags": [{"key": "a", "state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}]}"#)
        #expect(document.resolve("a").value == true)
        #expect(
            problems(
                #"{"flags": [{"key": "a", "state": "ENABLED", "variants": {"on": true}}, {"key": "a", "state": "ENABLED", "variants": {"on": true}}]}"#
            )
                == [#"flags[1]: flag key "a" appears more than once"#])
    }

    @Test func resolvesSharedEvaluatorsAndExportsThemUnresolved() throws {
        let text = #"""
            {"$evaluators": {"internal": {"ends_with": [{"var": "email"}, "@acme.com"]}},
             "flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
               "targeting": {"if": [{"$ref": "internal"}, "on"]}}}}
            """#
        let document = try FlagDocument(text: text)
        #expect(document.resolve("f", context: EvaluationContext(attributes: ["email": "ann@acme.com"])).value == true)
        #expect(document.json["flags"]?["f"]?["targeting"] == ["if": [["$ref": "internal"], "on"]])
        #expect(try FlagDocument(json: document.json).resolve("f", context: EvaluationContext(attributes: ["email": "bo@x.org"])).variant == "off")
    }

    @Test func selectsTheHashingGenerationPerDocument() throws {
        let v2 = try FlagDocument(text: #"{"fractionalHashing": "v2", "flags": {}}"#)
        #expect(v2.fractionalHashing == .v2)
        #expect(v2.json["fractionalHashing"] == "v2")
        #expect(try FlagDocument(text: #"{"flags": {}}"#).fractionalHashing == .v3)
        #expect(
            try FlagDocument(text: #"{"fractionalHashing": "v2", "flags": {}}"#, options: LoadOptions(fractionalHashing: .v3)).fractionalHashing
                == .v3)
    }

    @Test func validatesTheSafeVariant() {
        let text = #"{"flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "safeVariant": "of"}}}"#
        #expect(problems(text) == [#"flags.f: safeVariant "of" is not one of the variants ("off", "on")"#])
    }
}

@Suite struct FlagdCompatibilityTests {
    @Test func loadsFlagsFlagdToleratesAndServesThemAsFlagdDoes() throws {
        let text = #"""
            {"flags": {
              "no-state": {"variants": {"on": true}, "defaultVariant": "on"},
              "odd-state": {"state": "enabled", "variants": {"on": true}, "defaultVariant": "on"},
              "no-variants": {"state": "ENABLED"}
            }}
            """#
        let document = try FlagDocument(text: text)
        #expect(document.resolve("no-state").variant == "on")
        #expect(document.resolve("odd-state").reason == .static)
        #expect(document.resolve("no-variants").reason == .default)
        #expect(
            document.warnings.map(\.description) == [
                #"flags.no-state.state: missing; must be "ENABLED" or "DISABLED""#,
                "flags.no-variants.variants: missing; a flag needs at least one variant",
                #"flags.odd-state.state: must be "ENABLED" or "DISABLED", found "enabled""#,
            ])
        #expect(throws: FlagDocumentError.self) { try FlagDocument(text: text, options: LoadOptions(strictness: .authoring)) }
    }

    @Test func rejectsWhatFlagdRejects() {
        for text in [
            #"{"flags": {"f": {"state": 1, "variants": {"on": true}}}}"#,
            #"{"flags": {"f": {"state": "ENABLED", "variants": [true]}}}"#,
            #"{"flags": {}, "$evaluators": {"e": {}}}"#,
        ] {
            #expect(throws: FlagDocumentError.self, "\(text)") { try FlagDocument(text: text) }
        }
    }
}
