/// The value coercions JsonLogic borrows from JavaScript.
extension JSONValue {
    /// JavaScript truthiness: `false`, `null`, `0`, `""` and `[]` are false.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .integer(let number): number != 0
        case .double(let number): number != 0 && !number.isNaN
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object: true
        }
    }

    /// JavaScript `Number(x)`; `nil` where that gives `NaN`.
    var numericValue: Double? {
        switch self {
        case .null: return 0
        case .bool(let flag): return flag ? 1 : 0
        case .integer(let number): return Double(number)
        case .double(let number): return number
        case .string(let text):
            let trimmed = text.trimmingJSONWhitespace()
            return trimmed.isEmpty ? 0 : Double(trimmed)
        case .array, .object: return nil
        }
    }

    /// Strict equality (`===`): same type and same value; numbers compare by value.
    func strictlyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer(let left), .integer(let right)): left == right
        case (.integer, .double), (.double, .integer), (.double, .double): numberValue == other.numberValue
        default: self == other
        }
    }

    /// Loose equality (`==`) with JavaScript's conversions between numbers, strings and Booleans.
    func looselyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.string(let left), .string(let right)): return left == right
        case (.bool, _), (_, .bool), (.integer, .string), (.double, .string), (.string, .integer), (.string, .double):
            guard let left = numericValue, let right = other.numericValue else { return false }
            return left == right
        default: return strictlyEquals(other)
        }
    }

    /// Text for `cat`, `in` on strings and `sem_ver` operands, formatted as flagd's Go engine does.
    var logicText: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number): Self.goString(number)
        case .string(let text): text
        case .array, .object: serialized()
        }
    }

    /// A number formatted as Go's `strconv.FormatFloat(n, 'f', -1, 64)`: shortest digits, no
    /// exponent, no trailing `.0`.
    static func goString(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : (number > 0 ? "+Inf" : "-Inf") }
        if number == number.rounded(), abs(number) < 9.0e15 { return String(Int64(number)) }
        let shortest = "\(number)"
        guard let exponentIndex = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return shortest }
        let mantissa = shortest[..<exponentIndex]
        let exponent = Int(shortest[shortest.index(after: exponentIndex)...])!
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa[...]
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = String(parts[0])
        let fractionDigits = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerDigits + fractionDigits
        var pointPosition = integerDigits.count + exponent
        if pointPosition <= 0 {
            digits = String(repeating: "0", count: 1 - pointPosition) + digits
            pointPosition = 1
        } else if pointPosition > digits.count {
            digits += String(repeating: "0", count: pointPosition - digits.count)
        }
        var text = String(digits.prefix(pointPosition))
        var fraction = String(digits.dropFirst(pointPosition))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return (negative ? "-" : "") + text
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace (what Go's `strings.TrimSpace` drops
    /// from the ASCII range).
    func trimmingJSONWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        let text = self[...]
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return Substring() }
        let last = text.lastIndex(where: { !isSpace($0) })!
        return Substring(text[first...last])
    }
}
