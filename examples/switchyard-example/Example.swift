import Foundation
import Logging
import SwitchyardClient
import SwitchyardGuard

/// Walks through the client patterns that matter for AI features, against a running server
/// (`SWITCHYARD_URL`, `SWITCHYARD_KEY`) or, without one, the bootstrap file `examples/flags.json`.
///
///     swift run switchyard-example
///     SWITCHYARD_URL=http://127.0.0.1:8700 SWITCHYARD_KEY=sdk-... swift run switchyard-example
@main
struct Example {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "switchyard")
        logger.logLevel = .warning
        let options = SwitchyardClient.Options(
            cacheFile: FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-example-cache.json").path,
            bootstrapFile: environment["SWITCHYARD_BOOTSTRAP"] ?? "examples/flags.json",
            startTimeout: .seconds(1),
            shutdownTimeout: .seconds(2),
            logger: logger)
        let flags = SwitchyardClient(
            url: URL(string: environment["SWITCHYARD_URL"] ?? "http://127.0.0.1:8700")!,
            sdkKey: environment["SWITCHYARD_KEY"] ?? "no-key",
            options: options)
        // This example has no ServiceGroup: the client runs in the background until `stop()`.
        let running = await flags.start()
        print("client state: \(flags.state), document version: \(flags.version.map(String.init) ?? "bootstrap")\n")

        // A local circuit breaker: if this process sees the LLM fail on more than 20 % of
        // summaries, it serves the safe variant ("off", the rule-based summary) by itself.
        flags.attachBreaker(try KillRule(parsing: "errorRate > 0.2 over 10m minSamples 30"), flag: "ai-document-summary", variant: "on")

        let summaries = Summaries(flags: flags)
        print("1. The AI summary behind a flag, with the rule-based summary as fallback")
        let dana = EvaluationContext.user("u-42", ["email": "dana@acme.com", "tier": "enterprise", "beta": false])
        let eve = EvaluationContext.user("u-7", ["email": "eve@example.org", "tier": "free", "beta": false])
        for user in [dana, eve] {
            let summary = await summaries.summarize(Self.report, for: user)
            print("   \(user.targetingKey ?? "?"): [\(summary.source)] \(summary.text)")
        }

        print("\n2. The model version, and its configuration, as flags")
        let model = flags.stringDetails("summary-model-version", default: "gpt-4o-2024-08-06", context: dana)
        print("   \(dana.targetingKey ?? "?") uses \(model.value) (variant \(model.variant ?? "-"), \(model.reason.rawValue))")
        let config = flags.object("summary-model-config", default: ["model": "gpt-4o-2024-08-06", "maxOutputTokens": 400], context: eve)
        print(
            "   \(eve.targetingKey ?? "?") gets \(config["promptVersion"]?.stringValue ?? "the default prompt"), at most \(config["maxOutputTokens"] ?? 400) tokens"
        )

        print("\n3. The segment canary: internal users, then beta, then 5 % of enterprise, then 1 % of everyone")
        for (segment, attributes) in Self.segments {
            let served = (0..<1_000).filter { index in
                flags.bool("ai-document-summary", default: false, context: .user("\(segment)-\(index)", attributes))
            }
            print("   \(segment.padding(toLength: 11, withPad: " ", startingAt: 0)) \(served.count / 10) % see the AI summary")
        }

        print("\n4. Output tracking with feedback")
        let summary = await summaries.summarize(Self.report, for: dana)
        if let outputId = summary.outputId {
            flags.trackFeedback(outputId: outputId, positive: true)
            flags.trackEdit(outputId: outputId, editedLength: summary.text.count - 10, editDistance: 10)
            flags.trackAction(outputId: outputId, name: "sent")
            print("   output \(outputId): thumbs up, edited, sent (reported in the background)")
        }

        print("\n5. The permanent kill switch")
        if flags.bool("ai-email-drafting", default: false, context: eve) {
            print("   AI email drafting is on; `switchyard flags kill ai-email-drafting --reason ...` turns it off for everyone")
        } else {
            print("   AI email drafting is off: agents write replies themselves")
        }

        await running.stop()
    }

    static let report = """
        Revenue grew 12 % in the third quarter. Costs stayed flat. The board approved the new \
        data centre in Lisbon. Hiring slows down until the end of the year.
        """

    static let segments: [(String, [String: JSONValue])] = [
        ("internal", ["email": "someone@acme.com"]),
        ("beta", ["email": "someone@example.org", "beta": true]),
        ("enterprise", ["email": "someone@example.org", "tier": "enterprise"]),
        ("everyone", ["email": "someone@example.org", "tier": "free"]),
    ]
}
