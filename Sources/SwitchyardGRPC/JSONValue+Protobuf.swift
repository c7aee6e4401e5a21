import GRPCCore
import SwiftProtobuf
import SwitchyardCore

extension JSONValue {
    /// The value as a `google.protobuf.Value` (integers become doubles, as protobuf has no other number).
    var protobufValue: Google_Protobuf_Value {
        switch self {
        case .null: Google_Protobuf_Value(nilLiteral: ())
        case .bool(let value): Google_Protobuf_Value(boolValue: value)
        case .integer(let value): Google_Protobuf_Value(numberValue: Double(value))
        case .double(let value): Google_Protobuf_Value(numberValue: value)
        case .string(let value): Google_Protobuf_Value(stringValue: value)
        case .array(let elements): Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: elements.map(\.protobufValue)))
        case .object(let members): Google_Protobuf_Value(structValue: JSONValue.protobufStruct(members))
        }
    }

    /// An object's members as a `google.protobuf.Struct`.
    static func protobufStruct(_ members: [String: JSONValue]) -> Google_Protobuf_Struct {
        Google_Protobuf_Struct(fields: members.mapValues(\.protobufValue))
    }

    /// A `google.protobuf.Struct` (an evaluation context) as JSON members. A whole number within
    /// ±2^53 becomes an integer, as a JSON client would have written it, so that gRPC and OFREP
    /// callers evaluate alike.
    /// - Throws: `INVALID_ARGUMENT` when it nests deeper than ``JSONValue/maximumNestingDepth``.
    static func members(of protobuf: Google_Protobuf_Struct) throws -> [String: JSONValue] {
        try protobuf.fields.mapValues { try JSONValue(protobuf: $0, depth: 1) }
    }

    private init(protobuf: Google_Protobuf_Value, depth: Int) throws {
        guard depth < JSONValue.maximumNestingDepth else {
            throw RPCError(code: .invalidArgument, message: "the context nests deeper than \(JSONValue.maximumNestingDepth) levels")
        }
        switch protobuf.kind {
        case nil, .nullValue?: self = .null
        case .boolValue(let value)?: self = .bool(value)
        case .numberValue(let value)?:
            if value == value.rounded(), abs(value) <= 9_007_199_254_740_992 {
                self = .integer(Int64(value))
            } else {
                self = .double(value)
            }
        case .stringValue(let value)?: self = .string(value)
        case .listValue(let list)?: self = .array(try list.values.map { try JSONValue(protobuf: $0, depth: depth + 1) })
        case .structValue(let object)?: self = .object(try object.fields.mapValues { try JSONValue(protobuf: $0, depth: depth + 1) })
        }
    }
}
