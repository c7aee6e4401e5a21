import SwitchyardCore

/// flagd targeting (JSONLogic) in words, one line per branch, with the segments it refers to.
struct TargetingText {
    private(set) var lines: [String] = []
    private(set) var segments: [String] = []

    init(_ targeting: JSONValue?) {
        guard let targeting, targeting != .null, targeting != .object([:]) else { return }
        if let branches = targeting["if"]?.arrayValue, targeting.objectValue?.count == 1 {
            var index = 0
            while index + 1 < branches.count {
                lines.append((index == 0 ? "if " : "else if ") + describe(branches[index]) + " → " + describe(branches[index + 1]))
                index += 2
            }
            if index < branches.count { lines.append("otherwise → " + describe(branches[index])) }
        } else {
            lines.append(describe(targeting))
        }
    }

    private static let operators: [String: String] = [
        "==": "=", "===": "=", "!=": "≠", "!==": "≠", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "in": "in",
        "starts_with": "starts with", "ends_with": "ends with", "sem_ver": "semver",
    ]

    private mutating func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .array(let items): return "[" + items.map { describe($0) }.joined(separator: ", ") + "]"
        case .object(let members) where members.count == 1:
            let (name, argument) = members.first!
            let arguments = argument.arrayValue ?? [argument]
            switch name {
            case "var": return arguments.first?.stringValue ?? describe(argument)
            case "$ref":
                let segment = argument.stringValue ?? describe(argument)
                if !segments.contains(segment) { segments.append(segment) }
                return "in segment \(segment)"
            case "and", "or": return "(" + arguments.map { describe($0) }.joined(separator: " \(name) ") + ")"
            case "!": return "not " + describe(arguments.first ?? .null)
            case "if":
                var copy = TargetingText(nil)
                copy.segments = segments
                let text = "(" + describeIf(arguments, into: &copy) + ")"
                segments = copy.segments
                return text
            case "fractional": return describeSplit(arguments)
            default:
                if let symbol = Self.operators[name], arguments.count >= 2 {
                    if name == "sem_ver", arguments.count == 3 {
                        return "\(describe(arguments[0])) \(arguments[1].stringValue ?? "?") \(describe(arguments[2]))"
                    }
                    return "\(describe(arguments[0])) \(symbol) \(describe(arguments[1]))"
                }
                return value.serialized()
            }
        default: return value.serialized()
        }
    }

    private func describeIf(_ branches: [JSONValue], into text: inout TargetingText) -> String {
        var parts: [String] = []
        var index = 0
        while index + 1 < branches.count {
            parts.append("if \(text.describe(branches[index])) → \(text.describe(branches[index + 1]))")
            index += 2
        }
        if index < branches.count { parts.append("otherwise → \(text.describe(branches[index]))") }
        return parts.joined(separator: "; ")
    }

    private mutating func describeSplit(_ arguments: [JSONValue]) -> String {
        let buckets = arguments.compactMap { item -> (String, Double)? in
            guard let pair = item.arrayValue, let variant = pair.first?.stringValue else { return nil }
            return (variant, pair.count > 1 ? pair[1].numberValue ?? 1 : 1)
        }
        let total = buckets.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return "split: " + JSONValue.array(arguments).serialized() }
        return "split: " + buckets.map { "\($0.0) \(Self.percent($0.1 / total * 100)) %" }.joined(separator: ", ")
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3g", value)
    }
}
