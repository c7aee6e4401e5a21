#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a rule is evaluated against.
struct RuleEnvironment {
    /// The caller's context attributes, `targetingKey` included.
    let context: [String: JSONValue]
    /// The key of the flag being evaluated (`$flagd.flagKey`).
    let flagKey: String
    /// Seconds since the Unix epoch (`$flagd.timestamp`).
    let timestamp: Int64
    /// Which generation of `fractional` hashing to use.
    let hashing: FractionalHashing
}

/// Evaluating a rule failed the way flagd reports as `PARSE_ERROR`.
struct RuleFailure: Error {
    let message: String
}

/// The data `var` reads: the context, or inside `map`, `filter`, `reduce` … the current element.
enum RuleScope {
    case context
    case element(JSONValue)
}

extension Rule {
    /// Evaluates the rule. Operator errors that flagd maps to `null` give `.null`; only an unknown
    /// operator throws.
    func evaluate(_ environment: RuleEnvironment, _ scope: RuleScope = .context) throws(RuleFailure) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .array(let rules):
            var values: [JSONValue] = []
            values.reserveCapacity(rules.count)
            for rule in rules { values.append(try rule.evaluate(environment, scope)) }
            return .array(values)
        case .variable(let path, let fallback):
            if let value = path.lookup(environment, scope), !value.isNull { return value }
            return try fallback?.evaluate(environment, scope) ?? .null
        case .computedVariable(let pathRule, let fallback):
            let name: String
            switch try pathRule.evaluate(environment, scope) {
            case .string(let text): name = text
            case .integer(let number): name = String(number)
            case .double(let number): name = JSONValue.goString(number)
            default: name = ""
            }
            if let value = VariablePath(name).lookup(environment, scope), !value.isNull { return value }
            return try fallback?.evaluate(environment, scope) ?? .null
        case .operation(let op, let arguments):
            return try op.evaluate(arguments, environment, scope)
        case .fractional(let arguments):
            return try Fractional.evaluate(arguments, environment, scope)
        case .unknownOperator(let name):
            throw RuleFailure(message: "unknown operator \"\(name)\"")
        }
    }
}

extension VariablePath {
    /// Walks the path; `nil` when any step is missing.
    func lookup(_ environment: RuleEnvironment, _ scope: RuleScope) -> JSONValue? {
        var current: JSONValue
        var remaining = components[...]
        switch root {
        case .flagKey:
            current = .string(environment.flagKey)
        case .timestamp:
            current = .integer(environment.timestamp)
        case .flagdProperties:
            current = environment.flagdProperties
        case .data:
            switch scope {
            case .element(let element):
                current = element
            case .context:
                guard let first = remaining.first else { return environment.wholeContext }
                guard let value = environment.context[first] else { return nil }
                current = value
                remaining = remaining.dropFirst()
            }
        }
        for component in remaining {
            switch current {
            case .object(let members):
                guard let next = members[component] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(component), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

extension RuleEnvironment {
    /// `$flagd` as an object.
    var flagdProperties: JSONValue {
        .object(["flagKey": .string(flagKey), "timestamp": .integer(timestamp)])
    }

    /// The context with `$flagd` set, as `{"var": ""}` sees it.
    var wholeContext: JSONValue {
        var members = context
        members["$flagd"] = flagdProperties
        return .object(members)
    }

    /// The current time in whole seconds since the Unix epoch.
    static func currentTimestamp() -> Int64 {
        Int64(time(nil))
    }
}
