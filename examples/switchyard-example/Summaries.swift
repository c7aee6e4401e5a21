import SwitchyardClient
import SwitchyardGuard

/// The summary feature: the LLM when the flag says so, the rule-based summary otherwise or when
/// the LLM fails. Every LLM output is reported, so guardrails and the local breaker can act.
struct Summaries {
    struct Summary {
        var text: String
        var source: String
        var outputId: String?
    }

    let flags: SwitchyardClient
    let model = SimulatedModel()

    func summarize(_ document: String, for user: EvaluationContext) async -> Summary {
        let enabled = flags.boolDetails("ai-document-summary", default: false, context: user)
        guard enabled.value else { return Summary(text: ruleBased(document), source: "rules", outputId: nil) }
        let modelName = flags.string("summary-model-version", default: "gpt-4o-2024-08-06", context: user)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let answer = try await model.summarize(document, model: modelName)
            let outputId = flags.trackOutput(
                flag: "ai-document-summary", context: user, variant: enabled.variant ?? "on", model: modelName, output: answer.text,
                latency: clock.now - started, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, finishReason: .stop)
            return Summary(text: answer.text, source: modelName, outputId: outputId)
        } catch {
            flags.trackOutput(
                flag: "ai-document-summary", context: user, variant: enabled.variant ?? "on", model: modelName, output: "",
                latency: clock.now - started, finishReason: .error, error: "\(error)")
            return Summary(text: ruleBased(document), source: "rules (the model failed)", outputId: nil)
        }
    }

    /// The first sentence: the summary the product had before the LLM.
    func ruleBased(_ document: String) -> String {
        document.split(separator: ".").first.map { $0 + "." } ?? document
    }
}

/// Stands in for an LLM API call.
struct SimulatedModel {
    struct Answer {
        var text: String
        var tokensIn: Int
        var tokensOut: Int
    }

    func summarize(_ document: String, model: String) async throws -> Answer {
        try await Task.sleep(for: .milliseconds(20))
        let text = "Q3: revenue +12 %, flat costs, Lisbon data centre approved, hiring slows."
        return Answer(text: text, tokensIn: document.split(separator: " ").count * 4 / 3, tokensOut: text.split(separator: " ").count * 4 / 3)
    }
}
