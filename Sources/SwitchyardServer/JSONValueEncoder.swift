import Hummingbird
import SwitchyardCore

/// Encodes `Encodable` values as ``JSONValue`` and answers them with its serializer: compact, keys
/// sorted, whole doubles with `.0`, the bytes Switchyard's clients have always read. A `JSONValue`
/// inside a value is taken as it is.
struct JSONValueEncoder: ResponseEncoder {
    /// The JSON of `value`.
    func encode(_ value: some Encodable) throws -> JSONValue {
        try EncodingNode.json(of: value, codingPath: [])
    }

    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Response.json(try encode(value))
    }
}

/// A response body written by ``JSONValueEncoder`` whatever the context's encoder.
protocol JSONResponseBody: ResponseEncodable {}

extension JSONResponseBody {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONValueEncoder().encode(self, from: request, context: context)
    }
}

/// A body on a hot path that knows its JSON without going through `encode(to:)`; its `Codable`
/// conformance must write the same members (a test compares the bytes).
protocol JSONValueRepresentable {
    var jsonValue: JSONValue { get }
}

/// What one encoder or container wrote so far; nested containers write into their own node.
private final class EncodingNode {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: EncodingNode])
        case array([EncodingNode])
    }

    var content = Content.empty

    init(_ content: Content = .empty) {
        self.content = content
    }

    var json: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.json))
        case .array(let elements): .array(elements.map(\.json))
        }
    }

    /// The JSON of one value: numbers, strings, Booleans and `JSONValue` directly, anything else
    /// through its `encode(to:)`.
    static func json(of value: some Encodable, codingPath: [any CodingKey]) throws -> JSONValue {
        switch value {
        case let json as JSONValue: return json
        case let body as any JSONValueRepresentable: return body.jsonValue
        case let members as [String: JSONValue]: return .object(members)
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .integer(Int64(number))
        case let number as Int64: return .integer(number)
        case let number as Double: return .double(number)
        default:
            if let number = value as? any BinaryInteger {
                guard let exact = Int64(exactly: number) else {
                    throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "beyond 64 bits"))
                }
                return .integer(exact)
            }
            if let number = value as? Float { return .double(Double(number)) }
            let node = EncodingNode()
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
            return node.json
        }
    }

    func members() -> [String: EncodingNode] {
        if case .object(let members) = content { return members }
        return [:]
    }
}

private struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([:]) }
        return KeyedEncodingContainer(KeyedNodeContainer(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ child: EncodingNode, _ key: Key) {
        var members = node.members()
        members[key.stringValue] = child
        node.content = .object(members)
    }

    private func encode(_ value: (some Encodable)?, _ key: Key) throws {
        let json = try value.map { try EncodingNode.json(of: $0, codingPath: codingPath + [key]) } ?? .null
        set(EncodingNode(.value(json)), key)
    }

    mutating func encodeNil(forKey key: Key) throws { set(EncodingNode(.value(.null)), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encode(value as Bool?, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encode(value as String?, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encode(value as Double?, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(value as Float?, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encode(value as Int?, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(value as Int8?, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(value as Int16?, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(value as Int32?, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encode(value as Int64?, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(value as UInt?, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(value as UInt8?, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(value as UInt16?, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(value as UInt32?, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encode(value as UInt64?, key) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws { try encode(Optional.some(value), key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode(.object([:]))
        set(child, key)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingNode(.array([]))
        set(child, key)
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingNode()
        set(child, Key(stringValue: "super")!)
        return NodeEncoder(node: child, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodingNode()
        set(child, key)
        return NodeEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let elements) = node.content { return elements.count }
        return 0
    }

    private func append(_ child: EncodingNode) {
        guard case .array(var elements) = node.content else { return }
        elements.append(child)
        node.content = .array(elements)
    }

    private func append(_ value: some Encodable) throws {
        append(EncodingNode(.value(try EncodingNode.json(of: value, codingPath: codingPath))))
    }

    mutating func encodeNil() throws { append(EncodingNode(.value(.null))) }
    mutating func encode(_ value: Bool) throws { try append(value) }
    mutating func encode(_ value: String) throws { try append(value) }
    mutating func encode(_ value: Double) throws { try append(value) }
    mutating func encode(_ value: Float) throws { try append(value) }
    mutating func encode(_ value: Int) throws { try append(value) }
    mutating func encode(_ value: Int8) throws { try append(value) }
    mutating func encode(_ value: Int16) throws { try append(value) }
    mutating func encode(_ value: Int32) throws { try append(value) }
    mutating func encode(_ value: Int64) throws { try append(value) }
    mutating func encode(_ value: UInt) throws { try append(value) }
    mutating func encode(_ value: UInt8) throws { try append(value) }
    mutating func encode(_ value: UInt16) throws { try append(value) }
    mutating func encode(_ value: UInt32) throws { try append(value) }
    mutating func encode(_ value: UInt64) throws { try append(value) }
    mutating func encode(_ value: some Encodable) throws { try append(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode(.object([:]))
        append(child)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = EncodingNode(.array([]))
        append(child)
        return UnkeyedNodeContainer(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingNode()
        append(child)
        return NodeEncoder(node: child, codingPath: codingPath)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: some Encodable) throws {
        node.content = .value(try EncodingNode.json(of: value, codingPath: codingPath))
    }

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { try set(value) }
    mutating func encode(_ value: String) throws { try set(value) }
    mutating func encode(_ value: Double) throws { try set(value) }
    mutating func encode(_ value: Float) throws { try set(value) }
    mutating func encode(_ value: Int) throws { try set(value) }
    mutating func encode(_ value: Int8) throws { try set(value) }
    mutating func encode(_ value: Int16) throws { try set(value) }
    mutating func encode(_ value: Int32) throws { try set(value) }
    mutating func encode(_ value: Int64) throws { try set(value) }
    mutating func encode(_ value: UInt) throws { try set(value) }
    mutating func encode(_ value: UInt8) throws { try set(value) }
    mutating func encode(_ value: UInt16) throws { try set(value) }
    mutating func encode(_ value: UInt32) throws { try set(value) }
    mutating func encode(_ value: UInt64) throws { try set(value) }
    mutating func encode(_ value: some Encodable) throws { try set(value) }
}
