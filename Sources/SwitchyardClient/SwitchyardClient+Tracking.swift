import SwitchyardCore
import SwitchyardGuard

extension SwitchyardClient {
    /// Records an output of the AI path served by `variant` of `flag`, and returns its id for
    /// ``trackFeedback(outputId:positive:)``, ``trackEdit(outputId:editedLength:editDistance:)`` and
    /// ``trackAction(outputId:name:)``.
    ///
    /// Only queues the event: the length in characters and words is measured in the background,
    /// where the output also counts towards the local breakers attached to `flag`.
    /// - Parameters:
    ///   - latency: how long the model took.
    ///   - error: the error message when the call failed.
    @discardableResult
    public func trackOutput(
        flag: String, context: EvaluationContext, variant: String, model: String, output: String, latency: Duration,
        tokensIn: Int = 0, tokensOut: Int = 0, finishReason: FinishReason = .stop, error: String? = nil
    ) -> String {
        let outputId = outputIDs.next()
        let (seconds, attoseconds) = latency.components
        let pending = PendingOutput(
            outputId: outputId, flag: flag, variant: variant, unitKey: context.targetingKey ?? "anonymous", timestamp: options.clock.now,
            model: model, text: output, latencyMs: max(0, Double(seconds) * 1000 + Double(attoseconds) / 1e15), tokensIn: tokensIn,
            tokensOut: tokensOut, finishReason: finishReason, error: error)
        if events.append(.output(pending)) >= options.flushSize { flushSignal.yield() }
        if hasBreakers.load(ordering: .relaxed) { forwardToBreakers(.output(pending)) }
        return outputId
    }

    /// Records a person's rating of an output.
    public func trackFeedback(outputId: String, positive: Bool) {
        enqueue(.feedback(FeedbackEvent(outputId: outputId, positive: positive, timestamp: options.clock.now)))
    }

    /// Records that a person edited an output before using it.
    /// - Parameters:
    ///   - editedLength: the length of the edited text, in characters.
    ///   - editDistance: the edit distance from the output to the edited text, in characters.
    public func trackEdit(outputId: String, editedLength: Int, editDistance: Int) {
        enqueue(
            .edit(EditEvent(outputId: outputId, editedLength: max(0, editedLength), editDistance: max(0, editDistance), timestamp: options.clock.now))
        )
    }

    /// Records what a person did with an output: `clicked`, `sent`, `accepted`, ...
    public func trackAction(outputId: String, name: String) {
        enqueue(.action(ActionEvent(outputId: outputId, name: name, timestamp: options.clock.now)))
    }

    private func enqueue(_ event: GuardEvent) {
        if events.append(.event(event)) >= options.flushSize { flushSignal.yield() }
        if hasBreakers.load(ordering: .relaxed) { forwardToBreakers(.event(event)) }
    }
}
