extension KillRule {
    /// Reads the text form:
    ///
    /// ```
    /// rule    := metric (">" | "<") number "over" duration option*
    /// metric  := name | quantity "ratio vs control"
    /// option  := "minSamples" integer | "baseline" number | "cooldown" duration
    /// ```
    ///
    /// Durations are a whole number and `s`, `m`, `h` or `d`. Errors name the column.
    public init(parsing text: String) throws(KillRuleError) {
        var reader = RuleTokens(text)
        let (name, nameColumn) = try reader.next(expecting: "a metric such as errorRate")
        var metric: KillRuleMetric
        if reader.peek?.text == "ratio" {
            guard let quantity = OutputQuantity(rawValue: name) else {
                throw .text(
                    column: nameColumn,
                    "'ratio vs control' applies to \(OutputQuantity.allCases.map(\.rawValue).joined(separator: ", ")); found '\(name)'")
            }
            _ = try reader.next(expecting: "ratio")
            try reader.expect("vs")
            try reader.expect("control")
            metric = .ratioToControl(quantity)
        } else {
            guard let known = KillRuleMetric(name: name) else {
                throw .text(column: nameColumn, "unknown metric '\(name)'; known: \(KillRuleMetric.knownNames)")
            }
            metric = known
        }
        let (comparisonText, comparisonColumn) = try reader.next(expecting: "'>' or '<'")
        guard let comparison = Comparison(rawValue: comparisonText) else {
            throw .text(column: comparisonColumn, "expected '>' or '<', found '\(comparisonText)'")
        }
        let (threshold, thresholdColumn) = try reader.number(expecting: "a threshold")
        try reader.expect("over")
        let window = try reader.duration()
        var rule = KillRule(metric: metric, comparison: comparison, threshold: threshold, window: window)
        while let (option, optionColumn) = reader.nextIfAny() {
            switch option {
            case "minSamples":
                let (value, column) = try reader.number(expecting: "a whole number of samples")
                guard value >= 1, value == value.rounded(), value <= Double(Self.maximumMinSamples) else {
                    throw .text(column: column, Self.minSamplesMessage)
                }
                rule.minSamples = Int(value)
            case "baseline":
                rule.baseline = try reader.number(expecting: "a baseline rate").value
            case "cooldown":
                rule.cooldown = try reader.duration()
            default:
                throw .text(column: optionColumn, "expected minSamples, baseline or cooldown, found '\(option)'")
            }
        }
        if let problem = rule.problem {
            throw .text(column: problem.concernsThreshold ? thresholdColumn : comparisonColumn, problem.message)
        }
        self = rule
    }

    /// The canonical text form, which ``init(parsing:)`` reads back to an equal rule.
    public var text: String {
        var parts = [metric.name, comparison.rawValue, Self.format(threshold), "over", window.compactText]
        parts += ["minSamples", String(minSamples)]
        if let baseline { parts += ["baseline", Self.format(baseline)] }
        if let cooldown { parts += ["cooldown", cooldown.compactText] }
        return parts.joined(separator: " ")
    }

    public static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// What is inconsistent in a rule, whichever form it was read from.
    var problem: (message: String, concernsThreshold: Bool)? {
        switch metric {
        case .rate:
            if !(threshold > 0 && threshold < 1) { return ("a rate threshold must be between 0 and 1", true) }
        case .mean:
            if !(threshold >= 0 && threshold.isFinite) { return ("a mean threshold must be a non-negative number", true) }
        case .quantile:
            if comparison == .below { return ("quantile rules only support '>'", false) }
            if !(threshold >= 1 && threshold.isFinite) { return ("a quantile threshold must be at least 1", true) }
        case .ratioToControl:
            if !(threshold > 0 && threshold.isFinite) { return ("a ratio must be positive", true) }
        }
        if window <= .zero { return ("the window must be longer than zero", false) }
        if window > Self.maximumWindow { return ("the window must be at most \(Self.maximumWindow.compactText)", false) }
        if !(1...Self.maximumMinSamples).contains(minSamples) { return (Self.minSamplesMessage, false) }
        if let baseline {
            guard case .rate = metric, comparison == .above else { return ("baseline applies to '>' rate rules only", false) }
            if !(baseline > 0 && baseline < threshold) { return ("baseline must be between 0 and the threshold", true) }
        }
        if let cooldown, cooldown <= .zero { return ("the cooldown must be longer than zero", false) }
        if let cooldown, cooldown > Self.maximumCooldown { return ("the cooldown must be at most \(Self.maximumCooldown.compactText)", false) }
        return nil
    }

    static let minSamplesMessage = "minSamples must be a whole number from 1 to \(maximumMinSamples)"
}

extension KillRule: CustomStringConvertible {
    public var description: String { text }
}

/// The whitespace-separated words of a rule's text, with their 1-based columns; `>` and `<` stand
/// alone even without spaces.
private struct RuleTokens {
    private var tokens: [(text: String, column: Int)] = []
    private var index = 0
    private let endColumn: Int

    init(_ text: String) {
        var current = ""
        var start = 0
        var column = 0
        for character in text {
            column += 1
            if character.isWhitespace || character == ">" || character == "<" {
                if !current.isEmpty { tokens.append((current, start)) }
                current = ""
                if !character.isWhitespace { tokens.append((String(character), column)) }
            } else {
                if current.isEmpty { start = column }
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append((current, start)) }
        endColumn = column + 1
    }

    var peek: (text: String, column: Int)? { index < tokens.count ? tokens[index] : nil }

    mutating func nextIfAny() -> (String, Int)? {
        guard let token = peek else { return nil }
        index += 1
        return token
    }

    mutating func next(expecting what: String) throws(KillRuleError) -> (String, Int) {
        guard let token = nextIfAny() else { throw .text(column: endColumn, "expected \(what), found the end of the rule") }
        return token
    }

    mutating func expect(_ word: String) throws(KillRuleError) {
        let (text, column) = try next(expecting: "'\(word)'")
        guard text == word else { throw .text(column: column, "expected '\(word)', found '\(text)'") }
    }

    mutating func number(expecting what: String) throws(KillRuleError) -> (value: Double, column: Int) {
        let (text, column) = try next(expecting: what)
        guard let value = Double(text), value.isFinite else { throw .text(column: column, "expected \(what), found '\(text)'") }
        return (value, column)
    }

    mutating func duration() throws(KillRuleError) -> Duration {
        let (text, column) = try next(expecting: "a duration such as 15m")
        guard let duration = Duration(compactText: text) else {
            throw .text(column: column, "expected a duration such as 90s, 15m, 1h or 3d, found '\(text)'")
        }
        return duration
    }
}
