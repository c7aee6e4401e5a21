import SwitchyardCore

/// Reads typed members of one JSON object and reports problems by path.
struct EventFields {
    /// The longest identifier (flag, variant, unit key, output id, ...) accepted, in UTF-8 bytes.
    static let maximumIdentifierBytes = 512
    /// The longest free text (error message, breaker detail) accepted, in UTF-8 bytes.
    static let maximumTextBytes = 4096

    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(EventValidationError) {
        guard let members = value.objectValue else { throw .wrongType(path, expected: "an object") }
        self.members = members
        self.path = path
    }

    func fieldPath(_ name: String) -> String { "\(path).\(name)" }

    func identifier(_ name: String) throws(EventValidationError) -> String {
        try text(name, maximum: Self.maximumIdentifierBytes)
    }

    func optionalIdentifier(_ name: String) throws(EventValidationError) -> String? {
        guard let value = members[name], !value.isNull else { return nil }
        return try identifier(name)
    }

    func text(_ name: String, maximum: Int) throws(EventValidationError) -> String {
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        guard let text = value.stringValue else { throw .wrongType(fieldPath(name), expected: "a string") }
        guard !text.isEmpty else { throw .empty(fieldPath(name)) }
        guard text.utf8.count <= maximum else { throw .tooLong(fieldPath(name), maximum: maximum) }
        return text
    }

    func optionalText(_ name: String) throws(EventValidationError) -> String? {
        guard let value = members[name], !value.isNull else { return nil }
        return try text(name, maximum: Self.maximumTextBytes)
    }

    func bool(_ name: String) throws(EventValidationError) -> Bool {
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        guard let flag = value.boolValue else { throw .wrongType(fieldPath(name), expected: "true or false") }
        return flag
    }

    func count(_ name: String) throws(EventValidationError) -> Int {
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        switch value {
        case .integer(let number) where number >= 0 && number <= Int64(Int32.max): return Int(number)
        case .double(let number) where number >= 0 && number <= Double(Int32.max) && number == number.rounded(): return Int(number)
        default: throw .notWhole(fieldPath(name))
        }
    }

    func nonNegativeNumber(_ name: String) throws(EventValidationError) -> Double {
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        guard let number = value.numberValue, number >= 0, number.isFinite else { throw .negative(fieldPath(name)) }
        return number
    }

    func timestamp(_ name: String) throws(EventValidationError) -> Timestamp {
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        switch value {
        case .integer(let number) where number >= 0: return Timestamp(millisecondsSinceEpoch: number)
        default: throw .wrongType(fieldPath(name), expected: "milliseconds since the Unix epoch, a non-negative integer")
        }
    }

    func oneOf<Value: RawRepresentable & CaseIterable>(_ name: String, as: Value.Type) throws(EventValidationError) -> Value
    where Value.RawValue == String {
        let allowed = Value.allCases.map(\.rawValue)
        guard let value = members[name], !value.isNull else { throw .missing(fieldPath(name)) }
        guard let text = value.stringValue, let result = Value(rawValue: text) else { throw .notOneOf(fieldPath(name), allowed) }
        return result
    }
}
