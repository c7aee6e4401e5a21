import SwitchyardCore

/// Why stored aggregates (minute totals, unit totals) could not be read back.
public struct AggregateDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case invalid(member: String, expected: String)
    }

    private let problem: Problem

    private init(_ problem: Problem) {
        self.problem = problem
    }

    static func invalid(_ member: String, expected: String) -> Self { Self(.invalid(member: member, expected: expected)) }

    public var description: String {
        switch problem {
        case .invalid(let member, let expected): "stored aggregate: \(member) must be \(expected)"
        }
    }
}

/// Reads numbers out of a stored JSON object.
struct StoredFields {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue?, path: String) throws(AggregateDecodingError) {
        guard let members = value?.objectValue else { throw .invalid(path, expected: "an object") }
        self.members = members
        self.path = path
    }

    func count(_ name: String) throws(AggregateDecodingError) -> Int {
        guard case .integer(let number)? = members[name], number >= 0 else { throw .invalid("\(path).\(name)", expected: "a non-negative integer") }
        return Int(number)
    }

    func number(_ name: String) throws(AggregateDecodingError) -> Double {
        guard let number = members[name]?.numberValue else { throw .invalid("\(path).\(name)", expected: "a number") }
        return number
    }

    func nested(_ name: String) throws(AggregateDecodingError) -> StoredFields {
        try StoredFields(members[name], path: "\(path).\(name)")
    }
}
