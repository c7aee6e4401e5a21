/// A targeting rule compiled from JsonLogic, ready to evaluate without looking at JSON again.
indirect enum Rule: Sendable {
    /// A value that needs no evaluation.
    case literal(JSONValue)
    /// An array some of whose elements are rules.
    case array([Rule])
    /// A `var` whose path is known at load time.
    case variable(VariablePath, fallback: Rule?)
    /// A `var` whose path is computed by a rule.
    case computedVariable(Rule, fallback: Rule?)
    /// An operator with its (unevaluated) arguments.
    case operation(Operator, [Rule])
    /// `fractional`, kept apart because its arguments are read lazily.
    case fractional([Rule])
    /// An operator flagd does not know: evaluating it fails with `PARSE_ERROR`, as in flagd.
    case unknownOperator(String)
}

/// The operators of flagd's JsonLogic dialect other than `var` and `fractional`.
enum Operator: String, Sendable, CaseIterable {
    case missing, missingSome = "missing_some"
    case conditional = "if", ternary = "?:"
    case looseEqual = "==", strictEqual = "===", looseNotEqual = "!=", strictNotEqual = "!=="
    case not = "!", truthy = "!!", or, and
    case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case remainder = "%", divide = "/", multiply = "*", add = "+", subtract = "-", max, min
    case map, filter, reduce, all, none, some, merge, `in`
    case substring = "substr", concatenate = "cat"
    case startsWith = "starts_with", endsWith = "ends_with", semanticVersion = "sem_ver"
}

/// A dotted `var` path split once at load time.
struct VariablePath: Sendable {
    /// Where the lookup starts.
    enum Root: Sendable {
        /// The evaluation data (the context, or the current element inside `map`, `filter` …).
        case data
        /// `$flagd.flagKey`.
        case flagKey
        /// `$flagd.timestamp`.
        case timestamp
        /// `$flagd` itself.
        case flagdProperties
    }

    let root: Root
    /// Path components still to walk from the root; empty for the root itself.
    let components: [String]

    init(_ path: String) {
        let parts = path.isEmpty ? [] : path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "$flagd" else {
            root = .data
            components = parts
            return
        }
        switch parts.count > 1 ? parts[1] : nil {
        case "flagKey":
            root = .flagKey
            components = Array(parts.dropFirst(2))
        case "timestamp":
            root = .timestamp
            components = Array(parts.dropFirst(2))
        default:
            root = .flagdProperties
            components = Array(parts.dropFirst())
        }
    }
}

extension Rule {
    /// Whether evaluating the rule may read `$flagd.timestamp` (directly, through `$flagd`, the whole
    /// data, or a path only known at evaluation).
    var readsTimestamp: Bool {
        switch self {
        case .literal, .unknownOperator: false
        case .computedVariable: true
        case .variable(let path, let fallback):
            switch path.root {
            case .timestamp, .flagdProperties: true
            case .data: path.components.isEmpty || fallback?.readsTimestamp == true
            case .flagKey: fallback?.readsTimestamp == true
            }
        case .array(let rules), .operation(_, let rules), .fractional(let rules): rules.contains { $0.readsTimestamp }
        }
    }
}
