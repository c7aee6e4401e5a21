/// `var` with a path known at load time.
final class VariableRule: Rule {
    let path: VariablePath
    let fallback: (any Rule)?

    init(_ path: VariablePath, fallback: (any Rule)?) {
        self.path = path
        self.fallback = fallback
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        if let value = path.lookup(context, scope), !value.isNull { return value }
        return try fallback?.evaluate(context, &scope) ?? .null
    }

    var readsTimestamp: Bool {
        switch path.root {
        case .timestamp, .flagdProperties: true
        case .data: path.components.isEmpty || fallback?.readsTimestamp == true
        case .flagKey: fallback?.readsTimestamp == true
        }
    }
}

/// `var` whose path is computed by a rule.
final class ComputedVariableRule: Rule {
    let pathRule: any Rule
    let fallback: (any Rule)?
    let flagKey: String

    init(_ pathRule: any Rule, fallback: (any Rule)?, flagKey: String) {
        self.pathRule = pathRule
        self.fallback = fallback
        self.flagKey = flagKey
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        let name: String
        switch try pathRule.evaluate(context, &scope) {
        case .string(let text): name = text
        case .integer(let number): name = String(number)
        case .double(let number): name = JSONValue.goString(number)
        default: name = ""
        }
        if let value = VariablePath(name, flagKey: flagKey).lookup(context, scope), !value.isNull { return value }
        return try fallback?.evaluate(context, &scope) ?? .null
    }

    var readsTimestamp: Bool { true }
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
    /// ``keyHash(_:)`` of the first component, for the context lookup.
    let firstComponentHash: UInt64
    /// The one component of a path such as `email`: the common case, looked up directly.
    let singleComponent: String?
    /// The key of the flag whose targeting this is (`$flagd.flagKey`).
    let flagKey: String

    init(_ path: String, flagKey: String) {
        self.flagKey = flagKey
        let parts = path.isEmpty ? [] : path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count > 1 ? parts[1] : nil) {
        case ("$flagd", "flagKey"):
            root = .flagKey
            components = Array(parts.dropFirst(2))
        case ("$flagd", "timestamp"):
            root = .timestamp
            components = Array(parts.dropFirst(2))
        case ("$flagd", _):
            root = .flagdProperties
            components = Array(parts.dropFirst())
        default:
            root = .data
            components = parts
        }
        firstComponentHash = components.first.map(keyHash) ?? 0
        singleComponent = components.count == 1 ? components[0] : nil
    }

    /// Walks the path; `nil` when any step is missing.
    func lookup(_ context: EvaluationContext, _ scope: RuleScope) -> JSONValue? {
        var current: JSONValue
        var remaining = components[...]
        switch root {
        case .flagKey:
            current = .string(flagKey)
        case .timestamp:
            current = .integer(scope.timestamp)
        case .flagdProperties:
            current = flagdProperties(scope)
        case .data:
            if let element = scope.element {
                current = element
            } else {
                if let attribute = singleComponent { return context.value(for: attribute, hash: firstComponentHash) }
                guard let first = remaining.first else {
                    var members = context.attributes
                    members["$flagd"] = flagdProperties(scope)
                    return .object(members)
                }
                guard let value = context.value(for: first, hash: firstComponentHash) else { return nil }
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

    /// `$flagd` as an object.
    private func flagdProperties(_ scope: RuleScope) -> JSONValue {
        .object(["flagKey": .string(flagKey), "timestamp": .integer(scope.timestamp)])
    }
}
