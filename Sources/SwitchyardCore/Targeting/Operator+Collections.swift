/// `map`, `filter`, `reduce`, `all`, `none` and `some`: the inner rule sees each element as its data.
enum ArrayOperations {
    static func evaluate(_ op: Operator, _ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure)
        -> JSONValue
    {
        guard let source = arguments.first else { return op == .map || op == .filter ? .array([]) : .null }
        let elements = try source.evaluate(context, &scope).arrayValue ?? []
        let body = arguments.count > 1 ? arguments[1] : LiteralRule(.null)
        switch op {
        case .map:
            var mapped: [JSONValue] = []
            for element in elements {
                try scope.charge(operations: 1, bytes: RuleScope.bytesPerElement)
                mapped.append(try scope.evaluate(body, on: element, context))
            }
            return .array(mapped)
        case .filter:
            var kept: [JSONValue] = []
            for element in elements {
                try scope.charge(operations: 1, bytes: RuleScope.bytesPerElement)
                if try scope.evaluate(body, on: element, context).isTruthy { kept.append(element) }
            }
            return .array(kept)
        case .reduce:
            var accumulator = arguments.count > 2 ? try arguments[2].evaluate(context, &scope) : .null
            for element in elements {
                try scope.charge(operations: 1, bytes: 2 * RuleScope.bytesPerElement)
                accumulator = try scope.evaluate(body, on: ["current": element, "accumulator": accumulator], context)
            }
            return accumulator
        case .all:
            if elements.isEmpty { return .bool(false) }
            for element in elements {
                try scope.charge(operations: 1)
                if !(try scope.evaluate(body, on: element, context).isTruthy) { return .bool(false) }
            }
            return .bool(true)
        case .some:
            for element in elements {
                try scope.charge(operations: 1)
                if try scope.evaluate(body, on: element, context).isTruthy { return .bool(true) }
            }
            return .bool(false)
        default:
            for element in elements {
                try scope.charge(operations: 1)
                if try scope.evaluate(body, on: element, context).isTruthy { return .bool(false) }
            }
            return .bool(true)
        }
    }
}

/// `substr` on text.
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
}
