/// The type a caller asks a flag for.
public enum FlagValueType: String, Sendable, CaseIterable {
    case boolean, string, integer, float, object

    /// Whether the value already has this type.
    func holds(_ value: JSONValue) -> Bool {
        switch self {
        case .boolean: if case .bool = value { return true }
        case .string: if case .string = value { return true }
        case .integer: if case .integer = value { return true }
        case .float: if case .double = value { return true }
        case .object: if case .object = value { return true }
        }
        return false
    }

    /// The value converted to this type when that loses nothing (`10.0` as an integer is `10`,
    /// `3` as a float is `3.0`); `nil` when it would be a type mismatch.
    public func coerce(_ value: JSONValue) -> JSONValue? {
        switch (self, value) {
        case (.boolean, .bool), (.string, .string), (.integer, .integer), (.object, .object), (.float, .double):
            return value
        case (.integer, .double(let number)):
            guard number == number.rounded(), number >= -9_223_372_036_854_775_808.0, number < 9_223_372_036_854_775_808.0 else {
                return nil
            }
            return .integer(Int64(number))
        case (.float, .integer(let number)):
            return .double(Double(number))
        default:
            return nil
        }
    }
}
