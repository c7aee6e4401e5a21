/// Why a kill rule could not be read, naming where: a column of the text form, or a member of the
/// JSON form.
public struct KillRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case text(column: Int, message: String)
        case member(name: String, message: String)
    }

    private let problem: Problem

    private init(_ problem: Problem) {
        self.problem = problem
    }

    /// A problem in the text form at a 1-based column.
    static func text(column: Int, _ message: String) -> Self { Self(.text(column: column, message: message)) }

    /// A problem with a member of the JSON form.
    static func member(_ name: String, _ message: String) -> Self { Self(.member(name: name, message: message)) }

    /// The 1-based column of the problem in the text form, or `nil` for the JSON form.
    public var column: Int? {
        if case .text(let column, _) = problem { return column }
        return nil
    }

    public var description: String {
        switch problem {
        case .text(let column, let message): "kill rule, column \(column): \(message)"
        case .member(let name, let message): "kill rule, member \(name): \(message)"
        }
    }
}
