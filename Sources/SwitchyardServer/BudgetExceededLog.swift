import Logging
import SwitchyardCore
import Synchronization

/// Logs an evaluation that spent its ``EvaluationBudget`` once per environment and flag, so a rule
/// that costs too much is seen without one line per request.
final class BudgetExceededLog: Sendable {
    private let logged = Mutex<Set<String>>([])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs `resolution` when it spent its budget and this flag has not been logged yet.
    func note(_ resolution: Resolution, flag: String, environment: String) {
        guard resolution.exceedsBudget else { return }
        let first = logged.withLock { $0.insert(environment + "\u{0}" + flag).inserted }
        guard first else { return }
        logger.warning(
            "evaluation budget exceeded; the flag answers GENERAL errors until its targeting costs less",
            metadata: ["environment": .string(environment), "flag": .string(flag), "error": .string(resolution.errorMessage ?? "")])
    }
}
