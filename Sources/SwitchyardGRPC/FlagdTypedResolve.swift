import SwiftProtobuf
import SwitchyardCore

/// A request of one of flagd's typed `Resolve*` calls: a flag key and an evaluation context.
protocol FlagdResolveRequest: SwiftProtobuf.Message {
    var flagKey: String { get }
    var context: Google_Protobuf_Struct { get }
}

/// A response of one of flagd's typed `Resolve*` calls: the value in its protobuf type, with the
/// reason, variant and metadata every one of them carries.
protocol FlagdResolveResponse: SwiftProtobuf.Message {
    associatedtype Value
    /// The type the call asks the flag's value to have.
    static var valueType: FlagValueType { get }
    /// A resolved value (already of ``valueType``) as the response holds it; protobuf's zero value
    /// when there is none.
    static func value(of resolved: JSONValue?) -> Value

    var value: Value { get set }
    var reason: String { get set }
    var variant: String { get set }
    var metadata: Google_Protobuf_Struct { get set }
}

extension Flagd_Evaluation_V1_ResolveBooleanRequest: FlagdResolveRequest {}
extension Flagd_Evaluation_V1_ResolveStringRequest: FlagdResolveRequest {}
extension Flagd_Evaluation_V1_ResolveFloatRequest: FlagdResolveRequest {}
extension Flagd_Evaluation_V1_ResolveIntRequest: FlagdResolveRequest {}
extension Flagd_Evaluation_V1_ResolveObjectRequest: FlagdResolveRequest {}

extension Flagd_Evaluation_V1_ResolveBooleanResponse: FlagdResolveResponse {
    static var valueType: FlagValueType { .boolean }
    static func value(of resolved: JSONValue?) -> Bool { resolved?.boolValue ?? false }
}

extension Flagd_Evaluation_V1_ResolveStringResponse: FlagdResolveResponse {
    static var valueType: FlagValueType { .string }
    static func value(of resolved: JSONValue?) -> String { resolved?.stringValue ?? "" }
}

extension Flagd_Evaluation_V1_ResolveFloatResponse: FlagdResolveResponse {
    static var valueType: FlagValueType { .float }
    static func value(of resolved: JSONValue?) -> Double { resolved?.numberValue ?? 0 }
}

extension Flagd_Evaluation_V1_ResolveIntResponse: FlagdResolveResponse {
    static var valueType: FlagValueType { .integer }
    static func value(of resolved: JSONValue?) -> Int64 {
        if case .integer(let value) = resolved { value } else { 0 }
    }
}

extension Flagd_Evaluation_V1_ResolveObjectResponse: FlagdResolveResponse {
    static var valueType: FlagValueType { .object }
    static func value(of resolved: JSONValue?) -> Google_Protobuf_Struct {
        if case .object(let members) = resolved { JSONValue.protobufStruct(members) } else { Google_Protobuf_Struct() }
    }
}
