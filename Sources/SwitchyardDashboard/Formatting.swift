import Foundation
import SwitchyardCore
import SwitchyardStore

/// How the pages write times, numbers and flag facts.
enum Formatting {
    /// `2026-12-01 02:10:05 UTC`.
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A time in milliseconds since 1970.
    static func time(milliseconds: Int64) -> String { time(Date(timeIntervalSince1970: Double(milliseconds) / 1000)) }

    /// Four significant digits, or `n/a`.
    static func number(_ value: JSONValue?) -> String {
        guard let value = value?.numberValue, value.isFinite else { return "n/a" }
        return number(value)
    }

    static func number(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e12 ? String(Int64(number)) : String(format: "%.4g", number)
    }

    /// Milliseconds as `12 ms`, or `n/a`.
    static func milliseconds(_ value: JSONValue?) -> String {
        guard let number = value?.numberValue else { return "n/a" }
        return String(format: "%.0f ms", number)
    }

    /// A duration in milliseconds in words: `4 min 10 s`.
    static func duration(milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }

    /// The type of a flag's variant values.
    static func type(of flag: StoredFlag) -> String {
        let values = flag.definition["variants"]?.objectValue?.values.map { $0 } ?? []
        let types = Set(
            values.map { value -> String in
                switch value {
                case .bool: "boolean"
                case .string: "string"
                case .integer: "integer"
                case .double: "number"
                case .object: "object"
                default: value.typeName
                }
            })
        if types == ["integer", "number"] { return "number" }
        return types.count == 1 ? types.first! : types.isEmpty ? "none" : "mixed"
    }

    static func state(of flag: StoredFlag) -> String { flag.definition["state"]?.stringValue ?? "ENABLED" }

    /// Who killed, in words.
    static func killer(_ kill: StoredFlag.Kill) -> String {
        kill.by.id == "guardrails" ? "guardrail" : "\(kill.by.name) (\(kill.by.id))"
    }

    /// Pretty JSON for `<pre>` and the editor.
    static func pretty(_ value: JSONValue?) -> String { value.map { $0.serialized(pretty: true) } ?? "" }
}
