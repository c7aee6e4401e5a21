/// `missing` and `missing_some`.
enum Presence {
    static func evaluate(_ op: Operator, _ arguments: [Rule], _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> JSONValue {
        if op == .missingSome {
            guard arguments.count >= 2 else { return .array([]) }
            let needed = try arguments[0].evaluate(environment, scope).numericValue ?? 0
            guard case .array(let keys) = try arguments[1].evaluate(environment, scope) else { return .array([]) }
            let absent = missingKeys(keys, environment, scope)
            return Double(keys.count - absent.count) >= needed ? .array([]) : .array(absent)
        }
        var keys: [JSONValue] = []
        for rule in arguments {
            let value = try rule.evaluate(environment, scope)
            if case .array(let elements) = value { keys.append(contentsOf: elements) } else { keys.append(value) }
        }
        return .array(missingKeys(keys, environment, scope))
    }

    private static func missingKeys(_ keys: [JSONValue], _ environment: RuleEnvironment, _ scope: RuleScope) -> [JSONValue] {
        keys.filter { key in
            let value = VariablePath(key.logicText).lookup(environment, scope)
            switch value {
            case nil, .null?, .string("")?: return true
            default: return false
            }
        }
    }
}

/// `map`, `filter`, `reduce`, `all`, `none` and `some`: the inner rule sees each element as its data.
enum ArrayOperations {
    static func evaluate(_ op: Operator, _ arguments: [Rule], _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> JSONValue {
        guard let source = arguments.first else { return op == .map || op == .filter ? .array([]) : .null }
        let elements = try source.evaluate(environment, scope).arrayValue ?? []
        let body = arguments.count > 1 ? arguments[1] : .literal(.null)
        switch op {
        case .map:
            var mapped: [JSONValue] = []
            for element in elements { mapped.append(try body.evaluate(environment, .element(element))) }
            return .array(mapped)
        case .filter:
            var kept: [JSONValue] = []
            for element in elements where try body.evaluate(environment, .element(element)).isTruthy { kept.append(element) }
            return .array(kept)
        case .reduce:
            var accumulator = arguments.count > 2 ? try arguments[2].evaluate(environment, scope) : .null
            for element in elements {
                accumulator = try body.evaluate(environment, .element(["current": element, "accumulator": accumulator]))
            }
            return accumulator
        case .all:
            if elements.isEmpty { return .bool(false) }
            for element in elements where !(try body.evaluate(environment, .element(element)).isTruthy) { return .bool(false) }
            return .bool(true)
        case .some:
            for element in elements where try body.evaluate(environment, .element(element)).isTruthy { return .bool(true) }
            return .bool(false)
        default:
            for element in elements where try body.evaluate(environment, .element(element)).isTruthy { return .bool(false) }
            return .bool(true)
        }
    }
}

/// `substr` and suffix tests on text.
enum StringOperations {
    /// JavaScript-style `substr(start, length)` over Unicode scalars: a negative start counts from
    /// the end, a negative length leaves that many scalars off the end.
    static func substring(_ value: JSONValue, _ start: JSONValue, _ length: JSONValue?) -> JSONValue {
        let scalars = Array(value.logicText.unicodeScalars)
        let count = scalars.count
        guard let startNumber = start.numericValue, startNumber.isFinite else { return .null }
        var from = Int(max(min(startNumber, Double(count)), -Double(count)))
        if from < 0 { from = max(0, count + from) }
        var to = count
        if let length, !length.isNull {
            guard let lengthNumber = length.numericValue, lengthNumber.isFinite else { return .null }
            let clamped = Int(max(min(lengthNumber, Double(count)), -Double(count)))
            to = clamped < 0 ? max(from, count + clamped) : min(count, from + clamped)
        }
        var text = String.UnicodeScalarView()
        if from < to { text.append(contentsOf: scalars[from..<to]) }
        return .string(String(text))
    }

    /// Byte-wise suffix test, as Go's `strings.HasSuffix`.
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let textCount = text.utf8.count
        let suffixCount = suffix.utf8.count
        guard suffixCount <= textCount else { return false }
        return text.utf8.dropFirst(textCount - suffixCount).elementsEqual(suffix.utf8)
    }
}
