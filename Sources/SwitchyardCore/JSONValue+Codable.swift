/// `JSONValue` through `Codable`, for typed request and response bodies that carry a schemaless
/// part. Flag documents are still read with ``JSONValue/init(parsing:allowingDuplicateMembers:)``.
///
/// With ``JSONValueEncoder`` and ``JSONValueDecoder`` a value passes through unchanged, so `2` and
/// `2.0` stay apart. With another coder (Foundation's `JSONDecoder`) a number is an integer when it
/// decodes as one. Either way decoding refuses a value nested deeper than
/// ``maximumNestingDepth``, counted from the root of what is decoded, as the parser does.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoder.Storage {
            guard decoder.codingPath.count + decoder.value.nestingDepth <= Self.maximumNestingDepth else {
                throw Self.tooDeep(decoder.codingPath)
            }
            self = decoder.value
            return
        }
        guard decoder.codingPath.count < Self.maximumNestingDepth || !Self.isContainer(decoder) else {
            throw Self.tooDeep(decoder.codingPath)
        }
        if let container = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var members: [String: JSONValue] = [:]
            for key in container.allKeys {
                members[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd {
                elements.append(try container.decode(JSONValue.self))
            }
            self = .array(elements)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Int64.self) {
                self = .integer(number)
            } else if let number = try? container.decode(Double.self) {
                self = .double(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    private static func tooDeep(_ codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: codingPath, debugDescription: "nested more than \(maximumNestingDepth) levels deep"))
    }

    /// Whether the decoder holds an object or an array (a scalar adds no nesting).
    private static func isContainer(_ decoder: any Decoder) -> Bool {
        return (try? decoder.container(keyedBy: AnyCodingKey.self)) != nil || (try? decoder.unkeyedContainer()) != nil
    }

    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? JSONValueEncoder.Storage {
            encoder.box.content = .value(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .double(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in members { try container.encode(value, forKey: AnyCodingKey(key)) }
        }
    }
}

/// A coding key for any member name or array index.
package struct AnyCodingKey: CodingKey, Sendable, Hashable {
    package let stringValue: String
    package let intValue: Int?

    package init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    public init?(stringValue: String) { self.init(stringValue) }

    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
