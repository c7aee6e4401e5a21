extension Rule {
    /// Compiles JsonLogic into a rule.
    ///
    /// Compilation never fails: an unknown operator becomes ``Rule/unknownOperator(_:)``, which fails
    /// at evaluation as flagd does, and is reported through `report` with the place it was found.
    /// - Parameters:
    ///   - json: the JsonLogic rule.
    ///   - path: where the rule sits in the document, e.g. `flags.ai-summary.targeting`.
    ///   - report: receives each problem found, with its path.
    static func compile(_ json: JSONValue, path: String, report: (String, String) -> Void) -> Rule {
        switch json {
        case .array(let elements):
            let rules = elements.enumerated().map { index, element in
                compile(element, path: "\(path)[\(index)]", report: report)
            }
            if let values = rules.literalValues { return .literal(.array(values)) }
            return .array(rules)
        case .object(let members) where members.count == 1:
            let (name, argument) = members.first!
            return compileOperation(name, argument, rulePath: path, report: report)
        case .object(let members) where members.count > 1:
            report(path, "a rule must have exactly one operator, found \(members.count) keys: \(members.keys.sorted().joined(separator: ", "))")
            return .literal(json)
        default:
            return .literal(json)
        }
    }

    private static func compileOperation(
        _ name: String, _ argument: JSONValue, rulePath: String, report: (String, String) -> Void
    ) -> Rule {
        let path = "\(rulePath).\(name)"
        let arguments = argument.arrayValue ?? [argument]
        func compileArguments() -> [Rule] {
            let isList = argument.arrayValue != nil
            return arguments.enumerated().map { index, element in
                compile(element, path: isList ? "\(path)[\(index)]" : path, report: report)
            }
        }
        switch name {
        case "var":
            return compileVariable(arguments, path: path, report: report)
        case "fractional":
            return .fractional(compileArguments())
        case "$ref":
            report(rulePath, "reference to an evaluator that does not exist: \(argument)")
            return .unknownOperator(name)
        default:
            guard let known = Operator(rawValue: name) else {
                report(rulePath, "unknown operator \"\(name)\"")
                return .unknownOperator(name)
            }
            return .operation(known, compileArguments())
        }
    }

    private static func compileVariable(
        _ arguments: [JSONValue], path: String, report: (String, String) -> Void
    ) -> Rule {
        let fallback = arguments.count > 1 ? compile(arguments[1], path: "\(path)[1]", report: report) : nil
        switch arguments.first {
        case nil, .null?:
            return .variable(VariablePath(""), fallback: fallback)
        case .string(let name)?:
            return .variable(VariablePath(name), fallback: fallback)
        case .integer(let index)?:
            return .variable(VariablePath(String(index)), fallback: fallback)
        case .double(let number)?:
            return .variable(VariablePath(JSONValue.goString(number)), fallback: fallback)
        case let other?:
            return .computedVariable(compile(other, path: "\(path)[0]", report: report), fallback: fallback)
        }
    }
}

extension [Rule] {
    /// The values of the rules when every one is a literal.
    var literalValues: [JSONValue]? {
        var values: [JSONValue] = []
        values.reserveCapacity(count)
        for rule in self {
            guard case .literal(let value) = rule else { return nil }
            values.append(value)
        }
        return values
    }
}
