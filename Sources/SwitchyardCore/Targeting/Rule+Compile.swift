/// Compiles one flag's JsonLogic targeting into rules.
///
/// Compilation never fails: an unknown operator becomes an ``UnknownOperatorRule``, which fails at
/// evaluation as flagd does, and is recorded in ``problems`` with the place it was found.
struct RuleCompiler {
    /// The flag whose targeting this is: `$flagd.flagKey` and the `fractional` shorthand use it.
    let flagKey: String
    /// The `fractional` hashing generation of the document.
    let hashing: FractionalHashing
    /// What was wrong, each with its place, e.g. `flags.ai-summary.targeting.if[1]`.
    private(set) var problems: [DocumentProblem] = []

    /// The shared rule (`$evaluators` entry) being compiled, `nil` for a flag's targeting.
    let evaluatorName: String?

    init(flagKey: String, hashing: FractionalHashing, evaluatorName: String? = nil) {
        self.flagKey = flagKey
        self.hashing = hashing
        self.evaluatorName = evaluatorName
    }

    /// Compiles a rule found at `path` in the document.
    mutating func compile(_ json: JSONValue, path: String) -> any Rule {
        switch json {
        case .array(let elements):
            let rules = elements.enumerated().map { index, element in compile(element, path: "\(path)[\(index)]") }
            if let values = Self.literalValues(rules) { return LiteralRule(.array(values)) }
            return ArrayRule(rules)
        case .object(let members) where members.count == 1:
            let (name, argument) = members.first!
            return compileOperation(name, argument, rulePath: path)
        case .object(let members) where members.count > 1:
            report(path, "a rule must have exactly one operator, found \(members.count) keys: \(members.keys.sorted().joined(separator: ", "))")
            return LiteralRule(json)
        default:
            return LiteralRule(json)
        }
    }

    private mutating func report(_ path: String, _ message: String) {
        problems.append(DocumentProblem(path: path, message: message))
    }

    private mutating func compileOperation(_ name: String, _ argument: JSONValue, rulePath: String) -> any Rule {
        let path = "\(rulePath).\(name)"
        let isList = argument.arrayValue != nil
        let arguments = (argument.arrayValue ?? [argument]).enumerated().map { index, element in
            compile(element, path: isList ? "\(path)[\(index)]" : path)
        }
        switch name {
        case "var":
            return compileVariable(arguments)
        case "missing", "missing_some":
            return PresenceRule(requiresAll: name == "missing", arguments, flagKey: flagKey)
        case "fractional":
            return FractionalRule(arguments, flagKey: flagKey, hashing: hashing)
        case "if", "?:":
            return ConditionalRule.chain(arguments)
        case "==", "!=", "===", "!==":
            return EqualityRule(strict: name.count == 3, negated: name.hasPrefix("!"), arguments)
        case "starts_with", "ends_with":
            return AffixRule(prefix: name == "starts_with", arguments)
        case "$ref":
            if let evaluatorName {
                let which = argument == .string(evaluatorName) ? "refers to itself" : "refers to \(argument)"
                report(rulePath, "a segment \(which); references inside $evaluators are not followed")
            } else {
                report(rulePath, "reference to an evaluator that does not exist: \(argument)")
            }
            return UnknownOperatorRule(name)
        default:
            guard let known = Operator(rawValue: name) else {
                report(rulePath, "unknown operator \"\(name)\"")
                return UnknownOperatorRule(name)
            }
            return OperationRule(known, arguments)
        }
    }

    private func compileVariable(_ arguments: [any Rule]) -> any Rule {
        let fallback = arguments.count > 1 ? arguments[1] : nil
        let name: String
        switch arguments.first?.literalValue {
        case nil where arguments.isEmpty, .null?: name = ""
        case .string(let text)?: name = text
        case .integer(let index)?: name = String(index)
        case .double(let number)?: name = JSONValue.goString(number)
        default: return ComputedVariableRule(arguments[0], fallback: fallback, flagKey: flagKey)
        }
        return VariableRule(VariablePath(name, flagKey: flagKey), fallback: fallback)
    }

    /// The values of the rules when every one is a literal.
    private static func literalValues(_ rules: [any Rule]) -> [JSONValue]? {
        var values: [JSONValue] = []
        values.reserveCapacity(rules.count)
        for rule in rules {
            guard let value = rule.literalValue else { return nil }
            values.append(value)
        }
        return values
    }
}
