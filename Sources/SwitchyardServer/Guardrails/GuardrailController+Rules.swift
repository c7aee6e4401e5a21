import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

extension GuardrailController {
    @Sendable func getRules(_ request: Request, context: SwitchyardRequestContext) async throws -> KillRulesView {
        let (environment, key) = try target(request, context)
        return try await rulesBody(key, await watch.rules(of: key, in: environment), in: environment)
    }

    /// The body is rule text, one rule per line (`text/plain`), or JSON: an array (or
    /// `{"rules": [...]}`) whose items are rule texts or rule objects.
    @Sendable func putRules(_ request: Request, context: SwitchyardRequestContext) async throws -> KillRulesView {
        let (environment, key) = try target(request, context)
        _ = try await flag(key, in: environment)
        let rules = try await Self.parseRules(request, context: context)
        guard rules.count <= Self.maximumRulesPerFlag else {
            throw APIError(
                .badRequest, code: "too_many_rules", "a flag has at most \(Self.maximumRulesPerFlag) kill rules; the body has \(rules.count)",
                problems: [DocumentProblem(path: "body", message: "at most \(Self.maximumRulesPerFlag) rules")])
        }
        let stored = try await watch.replace(rules, of: key, in: environment, by: try context.author, now: clock.now)
        return try await rulesBody(key, stored, in: environment)
    }

    @Sendable func deleteRules(_ request: Request, context: SwitchyardRequestContext) async throws -> KillRulesView {
        let (environment, key) = try target(request, context)
        let stored = try await watch.replace([], of: key, in: environment, by: try context.author, now: clock.now)
        return try await rulesBody(key, stored, in: environment)
    }

    @Sendable func resetRules(_ request: Request, context: SwitchyardRequestContext) async throws -> KillRulesView {
        let (environment, key) = try target(request, context)
        let stored = try await watch.reset(key, in: environment, by: try context.author, now: clock.now)
        return try await rulesBody(key, stored, in: environment)
    }

    /// The most kill rules one flag may carry: each is evaluated every round for every variant.
    static let maximumRulesPerFlag = 20

    /// The rules with what each would trip on: the variants it watches, the control, and per
    /// variant the latest measurement (value, bound, limit, samples against `minSamples`); and when
    /// the flag last received an output event.
    func rulesBody(_ key: String, _ rules: [StoredKillRule], in environment: String) async throws -> KillRulesView {
        let flag = try await flag(key, in: environment)
        let measurements = try await measurements(of: flag, rules: rules, in: environment)
        let lastOutput = try await ingestor.lastOutput(of: key, in: environment, now: clock.now)
        let control = flag.safeVariant
        return KillRulesView(
            flag: key, control: control, watchedVariants: flag.variantNames.filter { $0 != control },
            lastOutputAt: lastOutput?.millisecondsSinceEpoch,
            rules: rules.enumerated().map { position, stored in
                KillRulesView.Rule(stored, measurements: position < measurements.count ? measurements[position] : nil)
            })
    }

    static func parseRules(_ request: Request, context: SwitchyardRequestContext) async throws -> [KillRule] {
        let bytes = try await request.bodyBytes(context: context)
        let isText = request.headers[.contentType]?.lowercased().hasPrefix("text/plain") == true
        if isText {
            let text = String(decoding: bytes, as: UTF8.self)
            var rules: [KillRule] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = String(line.trimmingSpaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                do {
                    rules.append(try KillRule(parsing: trimmed))
                } catch {
                    throw Self.invalidRule(at: "line \(index + 1)", error)
                }
            }
            return rules
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw APIError.badRequest("the body is not valid JSON (send text/plain for rule text): \(error.description)", path: "body")
        }
        guard let items = json.arrayValue ?? json["rules"]?.arrayValue else {
            throw APIError.badRequest("must be an array of rules, or an object with a rules array", path: "body")
        }
        var rules: [KillRule] = []
        for (index, item) in items.enumerated() {
            do throws(KillRuleError) {
                if let text = item.stringValue {
                    rules.append(try KillRule(parsing: text))
                } else {
                    rules.append(try KillRule(json: item))
                }
            } catch {
                throw Self.invalidRule(at: "rules[\(index)]", error)
            }
        }
        return rules
    }

    /// 400 naming the rule (`line 2`, `rules[1]`) and, in the message, the column or member.
    static func invalidRule(at place: String, _ error: KillRuleError) -> APIError {
        APIError(
            .badRequest, code: "invalid_rule", "\(place): \(error.description)", problems: [DocumentProblem(path: place, message: error.description)])
    }
}
