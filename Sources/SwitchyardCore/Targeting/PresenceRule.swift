/// `missing` (the keys among its arguments that are absent, `null` or `""`) and `missing_some`
/// (`[needed, keys]`: `[]` when at least `needed` keys are present, else the absent ones).
final class PresenceRule: Rule {
    let requiresAll: Bool
    let arguments: [any Rule]
    let flagKey: String

    init(requiresAll: Bool, _ arguments: [any Rule], flagKey: String) {
        self.requiresAll = requiresAll
        self.arguments = arguments
        self.flagKey = flagKey
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        if !requiresAll {
            guard arguments.count >= 2 else { return .array([]) }
            let needed = try arguments[0].evaluate(context, &scope).numericValue ?? 0
            guard case .array(let keys) = try arguments[1].evaluate(context, &scope) else { return .array([]) }
            let absent = missingKeys(keys, context, scope)
            return Double(keys.count - absent.count) >= needed ? .array([]) : .array(absent)
        }
        var keys: [JSONValue] = []
        for rule in arguments {
            let value = try rule.evaluate(context, &scope)
            if case .array(let elements) = value { keys.append(contentsOf: elements) } else { keys.append(value) }
        }
        return .array(missingKeys(keys, context, scope))
    }

    var readsTimestamp: Bool { true }

    private func missingKeys(_ keys: [JSONValue], _ context: EvaluationContext, _ scope: RuleScope) -> [JSONValue] {
        keys.filter { key in
            switch VariablePath(key.logicText, flagKey: flagKey).lookup(context, scope) {
            case nil, .null?, .string("")?: true
            default: false
            }
        }
    }
}
