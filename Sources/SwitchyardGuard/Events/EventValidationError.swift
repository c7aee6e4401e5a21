/// Why an event, or a whole batch, was rejected; names the offending field by its path.
///
/// The description reads `events[3].latencyMs: must be a non-negative number`.
public struct EventValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case missing
        case wrongType(expected: String)
        case negative
        case notWhole
        case empty
        case tooLong(maximum: Int)
        case notOneOf([String])
    }

    /// Path of the offending field, such as `events[3].latencyMs` or `batchId`.
    public let path: String
    private let problem: Problem

    private init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    static func missing(_ path: String) -> Self { Self(path: path, problem: .missing) }
    static func wrongType(_ path: String, expected: String) -> Self { Self(path: path, problem: .wrongType(expected: expected)) }
    static func negative(_ path: String) -> Self { Self(path: path, problem: .negative) }
    static func notWhole(_ path: String) -> Self { Self(path: path, problem: .notWhole) }
    static func empty(_ path: String) -> Self { Self(path: path, problem: .empty) }
    static func tooLong(_ path: String, maximum: Int) -> Self { Self(path: path, problem: .tooLong(maximum: maximum)) }
    static func notOneOf(_ path: String, _ allowed: [String]) -> Self { Self(path: path, problem: .notOneOf(allowed)) }

    public var description: String {
        let message =
            switch problem {
            case .missing: "is required"
            case .wrongType(let expected): "must be \(expected)"
            case .negative: "must be a non-negative number"
            case .notWhole: "must be a non-negative whole number"
            case .empty: "must not be empty"
            case .tooLong(let maximum): "must be at most \(maximum) bytes"
            case .notOneOf(let allowed): "must be one of \(allowed.joined(separator: ", "))"
            }
        return "\(path): \(message)"
    }
}
