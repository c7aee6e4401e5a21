import Foundation
import SwitchyardCore
import Testing

/// `JSONValue` through `Codable`: typed bodies carry schemaless parts unchanged, numbers keep their
/// kind through ``JSONValueEncoder``/``JSONValueDecoder``, nesting is bounded as the parser bounds
/// it, and errors say what was expected and where.
@Suite struct JSONValueCodableTests {
    struct Body: Codable, Equatable {
        var name: String
        var limit: Int?
        var context: JSONValue
    }

    @Test func aTypedBodyCarriesItsSchemalessPartWithNumbersKept() throws {
        let text = #"{"context":{"a":[1,2.0,"x",null,true]},"limit":3,"name":"n"}"#
        let body = try JSONValueDecoder().decode(Body.self, from: try JSONValue(parsing: text))
        #expect(body == Body(name: "n", limit: 3, context: ["a": [1, .double(2), "x", .null, true]]))
        #expect(try JSONValueEncoder().encode(body).serialized() == text)
    }

    @Test func anAbsentOptionalIsLeftOutAndAnExplicitNullIsWritten() throws {
        struct Nullable: Encodable {
            let control: String?
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyCodingKey.self)
                try container.encode(control, forKey: AnyCodingKey("control"))
            }
        }
        #expect(try JSONValueEncoder().encode(Body(name: "n", limit: nil, context: .null)).serialized() == #"{"context":null,"name":"n"}"#)
        #expect(try JSONValueEncoder().encode(Nullable(control: nil)).serialized() == #"{"control":null}"#)
    }

    @Test func errorsSayWhatWasExpectedAndWhere() throws {
        func failure(_ text: String, rejectingUnknownMembers: Bool = false) throws -> (path: String, message: String) {
            do {
                _ = try JSONValueDecoder(rejectingUnknownMembers: rejectingUnknownMembers).decode(Body.self, from: try JSONValue(parsing: text))
            } catch let error as DecodingError {
                switch error {
                case .keyNotFound(let key, let context):
                    return ((context.codingPath + [key]).map(\.stringValue).joined(separator: "."), context.debugDescription)
                case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                    return (context.codingPath.map(\.stringValue).joined(separator: "."), context.debugDescription)
                @unknown default:
                    throw error
                }
            }
            Issue.record("\(text) decoded")
            return ("", "")
        }
        #expect(try failure(#"{"context":1}"#) == ("name", "required, a string"))
        #expect(try failure(#"{"name":1,"context":1}"#) == ("name", "must be a string, found integer"))
        #expect(try failure(#"{"name":"n","limit":2.5,"context":1}"#) == ("limit", "must be a whole number, found number"))
        #expect(
            try failure(#"{"name":"n","context":1,"extra":1}"#, rejectingUnknownMembers: true) == (
                "extra", "unknown member; expected context, limit, name"
            ))
        #expect(try failure("[]") == ("", "must be an object, found array"))
    }

    @Test func nestingIsBoundedAsTheParserBoundsIt() throws {
        func nested(_ depth: Int) -> JSONValue {
            (0..<depth).reduce(JSONValue.integer(1)) { inner, _ in .array([inner]) }
        }
        let deepest = nested(JSONValue.maximumNestingDepth)
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: deepest) == deepest)
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(JSONValue.self, from: nested(JSONValue.maximumNestingDepth + 1)) }
        // Inside a typed body the levels above count too.
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Body.self, from: ["name": "n", "context": deepest])
        }
        // Foundation's coders go through the same bound.
        let text = String(repeating: "[", count: JSONValue.maximumNestingDepth + 1) + String(repeating: "]", count: JSONValue.maximumNestingDepth + 1)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        let allowed = String(repeating: "[", count: JSONValue.maximumNestingDepth) + String(repeating: "]", count: JSONValue.maximumNestingDepth)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(allowed.utf8)) == (try JSONValue(parsing: allowed)))
    }

    @Test func foundationsCodersRoundTripAValue() throws {
        let value: JSONValue = ["s": "x", "i": 7, "d": 2.5, "b": false, "n": .null, "a": [1, "two"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
