/// Why a rollout command or plan was refused.
public struct RolloutError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case notAllowed(command: String, phase: RolloutState.Phase)
        case invalidPlan(String)
        case invalidState(String)
    }

    private let problem: Problem

    private init(_ problem: Problem) {
        self.problem = problem
    }

    static func notAllowed(_ command: String, in phase: RolloutState.Phase) -> Self { Self(.notAllowed(command: command, phase: phase)) }
    static func invalidPlan(_ message: String) -> Self { Self(.invalidPlan(message)) }
    static func invalidState(_ message: String) -> Self { Self(.invalidState(message)) }

    public var description: String {
        switch problem {
        case .notAllowed(let command, let phase): "cannot \(command) a rollout that is \(phase.rawValue)"
        case .invalidPlan(let message): "invalid rollout plan: \(message)"
        case .invalidState(let message): "invalid rollout state: \(message)"
        }
    }
}
