/// What a kill does to a flag: the one rule for a person's kill, a guardrail's and a client's local
/// breaker.
public enum KillSwitch {
    /// The variant a killed flag serves and the control its rules compare with: `safeVariant`,
    /// else `defaultVariant`; `nil` when neither names one (the code default is served).
    public static func safeVariant(of flag: JSONValue) -> String? {
        (flag["safeVariant"] ?? flag["defaultVariant"])?.stringValue
    }

    /// The flag object as served while killed: no targeting, the safe variant as the default
    /// variant (`null` for the code default), and `marker` merged into its `metadata` so that every
    /// evaluator reports the kill with each evaluation.
    public static func killed(_ flag: JSONValue, marker: [String: JSONValue]) -> JSONValue {
        guard case .object(var members) = flag else { return flag }
        members["defaultVariant"] = members["safeVariant"] ?? members["defaultVariant"] ?? .null
        members["targeting"] = nil
        members["metadata"] = .object((members["metadata"]?.objectValue ?? [:]).merging(marker) { _, marker in marker })
        return .object(members)
    }
}
