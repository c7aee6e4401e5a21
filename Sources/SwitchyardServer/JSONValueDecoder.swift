import Hummingbird
import SwitchyardCore

/// Decodes `Decodable` values from JSON read with ``JSONValue``'s parser, so request bodies get its
/// checks (depth, 64-bit integers, and duplicate members unless allowed). A `JSONValue` inside a
/// value is taken as it is.
struct JSONValueDecoder: RequestDecoder {
    /// Whether a repeated member is accepted (the last one wins), as flagd reads contexts.
    var allowingDuplicateMembers = false

    /// `type` from `json`.
    func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        try ValueDecoder.value(type, of: json, codingPath: [])
    }

    /// `type` from the request's body; an empty body reads as `{}`. 413 beyond the context's
    /// upload limit.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let bytes = try await request.bodyBytes(context: context)
        let isBlank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return try decode(type, from: isBlank ? .object([:]) : JSONValue(parsing: bytes, allowingDuplicateMembers: allowingDuplicateMembers))
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func value<T: Decodable>(_ type: T.Type, of value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        if let json = value as? T { return json }
        switch (value, type) {
        case (.string(let text), is String.Type): return text as! T
        case (.bool(let flag), is Bool.Type): return flag as! T
        case (.integer(let number), is Int64.Type): return number as! T
        case (.integer(let number), is Int.Type): return Int(number) as! T
        case (.integer(let number), is Double.Type): return Double(number) as! T
        case (.double(let number), is Double.Type): return number as! T
        default: break
        }
        if let integer = type as? any FixedWidthInteger.Type {
            guard case .integer(let number) = value, let exact = integer.init(exactly: number) else {
                throw mismatch(type, value, codingPath)
            }
            return exact as! T
        }
        if type is Float.Type {
            guard let number = value.numberValue else { throw mismatch(type, value, codingPath) }
            return Float(number) as! T
        }
        if type is String.Type || type is Bool.Type || type is Double.Type { throw mismatch(type, value, codingPath) }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath))
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(value.typeName)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedValueContainer(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedValueContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try ValueDecoder.value(type, of: try member(key), codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decode(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func element() throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "no more elements"))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
        try ValueDecoder.value(type, of: try element(), codingPath: codingPath)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try element(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try element(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        ValueDecoder(value: try element(), codingPath: codingPath)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: String.Type) throws -> String { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try ValueDecoder.value(type, of: value, codingPath: codingPath) }
}
