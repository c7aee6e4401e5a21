import Foundation
import SwitchyardCore

/// Runs flagd-testbed scenarios against the engine.
struct ConformanceRunner {
    /// Loads the flag documents a scenario may ask for: the suite's default and any selector source.
    let documents: (_ selector: String?) throws -> FlagDocument

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs one case; throws a ``Failure`` naming the case and the step that did not hold.
    func run(_ scenario: GherkinScenario) throws {
        var selector: String?
        var flagKey: String?
        var flagType: FlagValueType?
        var defaultValue = JSONValue.null
        var context: [String: JSONValue] = [:]
        var resolution: Resolution?

        func fail(_ step: GherkinStep, _ message: String) -> Failure {
            Failure(description: "\(scenario.location) \(scenario.name): \(step.keyword) \(step.text): \(message)")
        }

        for step in scenario.steps {
            let quoted = Self.quotedValues(step.text)
            let text = step.text
            if text == "an evaluator" || text == "a stable flagd provider" || text == "a metadata flagd provider" {
                continue
            } else if text.hasPrefix("an option ") {
                if quoted.first == "selector" { selector = quoted.last }
            } else if let match = text.firstMatch(of: /^a (\w+)-flag with key "(.*)" and a (?:fallback|default) value "(.*)"$/) {
                guard let type = Self.valueType(String(match.1)) else { throw fail(step, "unknown type") }
                flagType = type
                flagKey = String(match.2)
                defaultValue = try Self.typedValue(String(match.3), typeName: String(match.1)) ?? { throw fail(step, "bad default") }()
            } else if let match = text.firstMatch(of: /^a context containing a key "(.*)", with type "(\w+)" and with value "(.*)"$/) {
                guard let value = try Self.typedValue(String(match.3), typeName: String(match.2)) else {
                    throw fail(step, "cannot read the value as \(match.2)")
                }
                context[String(match.1)] = value
            } else if let match = text.firstMatch(
                of: /^a context containing a nested property with outer key "(.*)" and inner key "(.*)", with value "(.*)"$/)
            {
                var outer = context[String(match.1)]?.objectValue ?? [:]
                outer[String(match.2)] = .string(String(match.3))
                context[String(match.1)] = .object(outer)
            } else if let match = text.firstMatch(of: /^a context containing a targeting key with value "(.*)"$/) {
                context["targetingKey"] = .string(String(match.1))
            } else if text == "the flag was evaluated with details" {
                guard let flagKey, let flagType else { throw fail(step, "no flag was given") }
                let document = try documents(selector)
                resolution = document.resolve(flagKey, as: flagType, default: defaultValue, context: EvaluationContext(attributes: context))
            } else if let match = text.firstMatch(of: /^the resolved details value should be "(.*)"$/) {
                guard let resolution, let flagType else { throw fail(step, "not evaluated") }
                let expected = try Self.typedValue(String(match.1), typeName: Self.typeName(flagType))
                guard let expected, let actual = resolution.value, Self.same(actual, expected) else {
                    throw fail(
                        step,
                        "got \(resolution.value.map(\.description) ?? "nil") (\(resolution.reason.rawValue) \(resolution.errorCode?.rawValue ?? "") \(resolution.errorMessage ?? ""))"
                    )
                }
            } else if let match = text.firstMatch(of: /^the reason should be "(.*)"$/) {
                guard resolution?.reason.rawValue == String(match.1) else { throw fail(step, "got \(resolution?.reason.rawValue ?? "nothing")") }
            } else if let match = text.firstMatch(of: /^the error-code should be "(.*)"$/) {
                guard (resolution?.errorCode?.rawValue ?? "") == String(match.1) else {
                    throw fail(step, "got \(resolution?.errorCode?.rawValue ?? "none")")
                }
            } else if let match = text.firstMatch(of: /^the variant should be "(.*)"$/) {
                guard (resolution?.variant ?? "") == String(match.1) else { throw fail(step, "got \(resolution?.variant ?? "none")") }
            } else if text == "the resolved metadata is empty" {
                guard resolution?.metadata.isEmpty == true else { throw fail(step, "got \(resolution?.metadata ?? [:])") }
            } else if text == "the resolved metadata should contain" {
                guard let metadata = resolution?.metadata else { throw fail(step, "not evaluated") }
                let rows = step.table.dropFirst()
                guard metadata.count == rows.count else { throw fail(step, "expected \(rows.count) entries, got \(metadata)") }
                for row in rows {
                    guard row.count == 3, let expected = try Self.typedValue(row[2], typeName: row[1]),
                        let actual = metadata[row[0]], Self.same(actual, expected), actual.typeName == expected.typeName
                    else { throw fail(step, "entry \(row) does not match \(metadata)") }
                }
            } else {
                throw fail(step, "unknown step")
            }
        }
    }

    static func quotedValues(_ text: String) -> [String] {
        text.matches(of: /"([^"]*)"/).map { String($0.1) }
    }

    static func valueType(_ name: String) -> FlagValueType? {
        switch name {
        case "Boolean": .boolean
        case "String": .string
        case "Integer": .integer
        case "Float": .float
        case "Object": .object
        default: nil
        }
    }

    static func typeName(_ type: FlagValueType) -> String {
        switch type {
        case .boolean: "Boolean"
        case .string: "String"
        case .integer: "Integer"
        case .float: "Float"
        case .object: "Object"
        }
    }

    /// Reads a step's text as the named type, the way the testbed's harnesses cast it.
    static func typedValue(_ text: String, typeName: String) throws -> JSONValue? {
        switch typeName {
        case "String": return .string(text)
        case "Boolean": return .bool(["true", "yes", "t", "1"].contains(text.lowercased()))
        case "Integer": return Int64(text).map(JSONValue.integer)
        case "Float": return Double(text).map(JSONValue.double)
        // Contexts, like OFREP request contexts, keep the last of a repeated member (the suite sends some).
        case "Object": return try JSONValue(parsing: text.replacingOccurrences(of: "\\\"", with: "\""), allowingDuplicateMembers: true)
        default: return nil
        }
    }

    /// Equality as the testbed means it: numbers by value, everything else structurally.
    static func same(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        if let left = actual.numberValue, let right = expected.numberValue { return left == right }
        return actual == expected
    }
}
