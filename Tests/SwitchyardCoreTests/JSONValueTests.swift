import Testing

@testable import SwitchyardCore

@Suite struct JSONValueTests {
    @Test func keepsIntegersAndFloatsApart() throws {
        let value = try JSONValue(parsing: #"{"a": 2, "b": 2.0, "c": -0, "d": 1e2, "e": 9007199254740993}"#)
        #expect(value["a"] == .integer(2))
        #expect(value["b"] == .double(2))
        #expect(value["c"] == .integer(0))
        #expect(value["d"] == .double(100))
        #expect(value["e"] == .integer(9_007_199_254_740_993))
        #expect(value.serialized() == #"{"a":2,"b":2.0,"c":0,"d":100.0,"e":9007199254740993}"#)
    }

    @Test func integersBeyond64BitsAreRefusedWithTheirPath() throws {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": [1, {"b": 18446744073709551615}]}"#) }
        #expect(error?.path == "a[1].b")
        #expect(error?.column == 17)
        #expect(error?.message.contains("does not fit in 64 bits") == true)
        #expect(try JSONValue(parsing: "-9223372036854775808") == .integer(.min))
        #expect(try JSONValue(parsing: "18446744073709551615.0") == .double(18_446_744_073_709_551_616))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\né😀"))
        #expect(JSONValue.string("tab\there\u{01}").serialized() == #""tab\there\u0001""#)
        #expect(JSONValue.string("say \"hi\" \\ é😀").serialized() == #""say \"hi\" \\ é😀""#)
        #expect(JSONValue.string("plain é😀").serialized() == #""plain é😀""#)
    }

    @Test func aDuplicateMemberIsRefusedWithItsPath() throws {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"flags": {"f": {"state": "ENABLED", "state": "DISABLED"}}}"#) }
        #expect(error?.path == "flags.f.state")
        #expect(error?.description.contains(#"(at flags.f.state): the member "state" appears twice"#) == true)
        #expect(try JSONValue(parsing: #"[{"k": 1}, {"k": 2}]"#) == [["k": 1], ["k": 2]])
    }

    @Test(arguments: [
        ("{\"a\": }", 1, 7, "a", "unexpected character, expected a value"),
        ("[1,\n 2,,]", 2, 4, "[2]", "unexpected character, expected a value"),
        ("{\"a\": 1} x", 1, 10, "", "unexpected text after the JSON value"),
        ("01", 1, 2, "", "leading zero in a number"),
        ("\"abc", 1, 5, "", "unterminated string"),
        ("\"\\ud800\"", 1, 8, "", "unpaired surrogate in a \\u escape"),
        ("tru", 1, 1, "", "unexpected end of input"),
        ("", 1, 1, "", "unexpected end of input, expected a value"),
    ])
    func reportsWhereTextIsWrong(text: String, line: Int, column: Int, path: String, message: String) {
        var expected = JSONParseError(message: message, line: line, column: column)
        expected.path = path
        #expect(throws: expected) {
            try JSONValue(parsing: text)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func limitsNestingDepth() throws {
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let allowed = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        _ = try JSONValue(parsing: allowed)
    }

    @Test func prettyPrintsWithSortedKeys() {
        let value: JSONValue = ["b": [1, 2.5], "a": [:]]
        #expect(value.serialized(pretty: true) == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2.5\n  ]\n}")
    }

    @Test(arguments: [(1.0, "1"), (1.5, "1.5"), (1e20, "100000000000000000000"), (1.25e-7, "0.000000125"), (-3.0, "-3"), (123456.789, "123456.789")])
    func formatsNumbersLikeGo(number: Double, text: String) {
        #expect(JSONValue.goString(number) == text)
    }
}
