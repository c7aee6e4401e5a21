/// Decodes a `Decodable` value from a ``JSONValue`` read by the parser (which kept numbers apart,
/// refused repeated members and bounded the nesting), so a typed request body is read by the same
/// parser as a flag document. A `JSONValue` inside the type is taken as it is.
///
/// Errors are `DecodingError`s whose coding path is where the problem is and whose description
/// says what was expected, in the words of the API's other errors: `required, a string`,
/// `must be a whole number, found string`. With `rejectingUnknownMembers`, an object member
/// that the type does not read is refused too (`unknown member; expected kind, name`).
package struct JSONValueDecoder: Sendable {
    /// Whether an object member the decoded type never asks for is an error.
    package var rejectingUnknownMembers: Bool

    package init(rejectingUnknownMembers: Bool = false) {
        self.rejectingUnknownMembers = rejectingUnknownMembers
    }

    package func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let objects = ReadObjects()
        let decoded = try T(from: Storage(value: value, codingPath: [], objects: objects))
        if rejectingUnknownMembers { try objects.checkEveryMemberWasRead() }
        return decoded
    }

    /// What a type needs, for messages: `a string`, `a whole number`, `an object`.
    static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "a whole number"
        case is JSONValue.Type: "a JSON value"
        case is any RangeReplaceableCollection.Type: "an array"
        default: "an object"
        }
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(
            type, DecodingError.Context(codingPath: codingPath, debugDescription: "must be \(expectation(type)), found \(value.typeName)"))
    }

    /// The objects read through keyed containers and the members the decoded type asked for.
    final class ReadObjects {
        private var objects: [(path: [any CodingKey], members: [String: JSONValue], read: Set<String>)] = []

        func register(_ members: [String: JSONValue], at path: [any CodingKey]) -> Int {
            objects.append((path, members, []))
            return objects.count - 1
        }

        func read(_ key: String, in index: Int) { objects[index].read.insert(key) }

        func checkEveryMemberWasRead() throws {
            for object in objects {
                guard let unknown = object.members.keys.sorted().first(where: { !object.read.contains($0) }) else { continue }
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: object.path + [AnyCodingKey(unknown)],
                        debugDescription: "unknown member; expected \(object.read.sorted().joined(separator: ", "))"))
            }
        }
    }

    /// The `Decoder` the decoded type sees.
    final class Storage: Decoder {
        let value: JSONValue
        let codingPath: [any CodingKey]
        let objects: ReadObjects
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(value: JSONValue, codingPath: [any CodingKey], objects: ReadObjects) {
            self.value = value
            self.codingPath = codingPath
            self.objects = objects
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
            let index = objects.register(members, at: codingPath)
            return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath, objects: objects, index: index))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value, codingPath) }
            return Unkeyed(elements: elements, codingPath: codingPath, objects: objects)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath, objects: objects) }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, at codingPath: [any CodingKey], _ objects: ReadObjects) throws -> T {
        switch type {
        case is String.Type:
            guard case .string(let text) = value else { throw mismatch(type, value, codingPath) }
            return text as! T
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath) }
            return flag as! T
        case is Double.Type:
            guard let number = value.numberValue else { throw mismatch(type, value, codingPath) }
            return number as! T
        case is Float.Type:
            guard let number = value.numberValue else { throw mismatch(type, value, codingPath) }
            return Float(number) as! T
        case let integer as any FixedWidthInteger.Type:
            guard case .integer(let number) = value, let converted = integer.init(exactly: number) else {
                if case .integer = value {
                    throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: "out of range"))
                }
                throw mismatch(type, value, codingPath)
            }
            return converted as! T
        default:
            return try T(from: Storage(value: value, codingPath: codingPath, objects: objects))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let codingPath: [any CodingKey]
        let objects: ReadObjects
        let index: Int

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool {
            objects.read(key.stringValue, in: index)
            return members[key.stringValue] != nil
        }

        private func member<T>(_ type: T.Type, _ key: Key) throws -> JSONValue {
            objects.read(key.stringValue, in: index)
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key, DecodingError.Context(codingPath: codingPath, debugDescription: "required, \(expectation(type))"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try member(JSONValue.self, key).isNull }

        private func primitive<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            try JSONValueDecoder.decode(type, try member(type, key), at: codingPath + [key], objects)
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try primitive(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try primitive(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try primitive(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try primitive(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try primitive(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try primitive(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try primitive(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try primitive(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try primitive(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try primitive(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try primitive(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try primitive(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try primitive(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try primitive(type, key) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try JSONValueDecoder.decode(type, try member(type, key), at: codingPath + [key], objects)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try Storage(value: try member([String: JSONValue].self, key), codingPath: codingPath + [key], objects: objects).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try Storage(value: try member([JSONValue].self, key), codingPath: codingPath + [key], objects: objects).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            Storage(value: members["super"] ?? .null, codingPath: codingPath + [AnyCodingKey("super")], objects: objects)
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            Storage(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key], objects: objects)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let codingPath: [any CodingKey]
        let objects: ReadObjects
        var currentIndex = 0

        init(elements: [JSONValue], codingPath: [any CodingKey], objects: ReadObjects) {
            self.elements = elements
            self.codingPath = codingPath
            self.objects = objects
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private var elementPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: currentIndex)!] }

        private mutating func next<T>(_ type: T.Type) throws -> JSONValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    type, DecodingError.Context(codingPath: elementPath, debugDescription: "required, \(expectation(type))"))
            }
            defer { currentIndex += 1 }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, elements[currentIndex].isNull else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let path = elementPath
            return try JSONValueDecoder.decode(type, try next(type), at: path, objects)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let path = elementPath
            return try Storage(value: try next([String: JSONValue].self), codingPath: path, objects: objects).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let path = elementPath
            return try Storage(value: try next([JSONValue].self), codingPath: path, objects: objects).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            let path = elementPath
            return Storage(value: try next(JSONValue.self), codingPath: path, objects: objects)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]
        let objects: ReadObjects

        func decodeNil() -> Bool { value.isNull }

        func decode(_ type: Bool.Type) throws -> Bool { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: String.Type) throws -> String { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Float.Type) throws -> Float { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoder.decode(type, value, at: codingPath, objects) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONValueDecoder.decode(type, value, at: codingPath, objects)
        }
    }
}
