/// Encodes an `Encodable` value as a ``JSONValue``: what a typed response is before it is written
/// with ``JSONValue/serialized(pretty:)``, so that it reads as the same text a `JSONValue` built by
/// hand would. A `JSONValue` inside the value is taken as it is; an optional encoded with
/// `encodeIfPresent` (the synthesized conformance) leaves its member out, one encoded with
/// `encode` writes `null`.
package struct JSONValueEncoder: Sendable {
    package init() {}

    /// The value as JSON; `{}` for a value that encodes nothing.
    package func encode(_ value: some Encodable) throws -> JSONValue {
        let storage = Storage(box: Box(), codingPath: [])
        try value.encode(to: storage)
        return storage.box.resolved
    }

    /// One value being written: a scalar, or an object or array whose members are written later.
    final class Box {
        enum Content {
            case empty
            case value(JSONValue)
            case object([String: Box])
            case array([Box])
        }

        var content = Content.empty

        var resolved: JSONValue {
            switch content {
            case .empty: .object([:])
            case .value(let value): value
            case .object(let members): .object(members.mapValues(\.resolved))
            case .array(let elements): .array(elements.map(\.resolved))
            }
        }

        func member(_ key: String) -> Box {
            let box = Box()
            if case .object(var members) = content {
                members[key] = box
                content = .object(members)
            } else {
                content = .object([key: box])
            }
            return box
        }

        func append() -> Box {
            let box = Box()
            if case .array(var elements) = content {
                elements.append(box)
                content = .array(elements)
            } else {
                content = .array([box])
            }
            return box
        }
    }

    /// The `Encoder` the encoded value sees.
    final class Storage: Encoder {
        let box: Box
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(box: Box, codingPath: [any CodingKey]) {
            self.box = box
            self.codingPath = codingPath
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = box.content {} else { box.content = .object([:]) }
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = box.content {} else { box.content = .array([]) }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }
    }

    static func encode(_ value: some Encodable, into box: Box, at codingPath: [any CodingKey]) throws {
        try value.encode(to: Storage(box: box, codingPath: codingPath))
    }

    static func integer(_ value: some BinaryInteger, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard let number = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "beyond 64 bits"))
        }
        return .integer(number)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        let codingPath: [any CodingKey]

        private func set(_ value: JSONValue, _ key: Key) { box.member(key.stringValue).content = .value(value) }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try integer(value, codingPath + [key]), key) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.encode(value, into: box.member(key.stringValue), at: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            Storage(box: box.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Storage(box: box.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { Storage(box: box.member("super"), codingPath: codingPath + [AnyCodingKey("super")]) }

        mutating func superEncoder(forKey key: Key) -> any Encoder { Storage(box: box.member(key.stringValue), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        let codingPath: [any CodingKey]

        var count: Int {
            if case .array(let elements) = box.content { return elements.count }
            return 0
        }

        private var nextPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: count)!] }

        mutating func encodeNil() throws { box.append().content = .value(.null) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            let path = nextPath
            try JSONValueEncoder.encode(value, into: box.append(), at: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let path = nextPath
            return Storage(box: box.append(), codingPath: path).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let path = nextPath
            return Storage(box: box.append(), codingPath: path).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let path = nextPath
            return Storage(box: box.append(), codingPath: path)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        let codingPath: [any CodingKey]

        private func set(_ value: JSONValue) { box.content = .value(value) }

        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(.double(value)) }
        mutating func encode(_ value: Float) throws { set(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: Int8) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: Int16) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: Int32) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: Int64) throws { set(.integer(value)) }
        mutating func encode(_ value: UInt) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: UInt8) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: UInt16) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: UInt32) throws { set(try integer(value, codingPath)) }
        mutating func encode(_ value: UInt64) throws { set(try integer(value, codingPath)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: box, at: codingPath)
        }
    }
}
