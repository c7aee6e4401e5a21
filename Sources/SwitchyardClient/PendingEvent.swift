import SwitchyardGuard

/// An event as queued by the caller's thread. Outputs keep their text and are measured (characters,
/// words) by the background flush, so recording one costs the caller no more than a queue append.
enum PendingEvent: Sendable {
    case event(GuardEvent)
    case output(PendingOutput)

    /// The event in the documented schema.
    var event: GuardEvent {
        switch self {
        case .event(let event): event
        case .output(let output): .output(output.event)
        }
    }
}

/// An AI output whose length is not measured yet.
struct PendingOutput: Sendable {
    var outputId: String
    var flag: String
    var variant: String
    var unitKey: String
    var timestamp: Timestamp
    var model: String
    var text: String
    var latencyMs: Double
    var tokensIn: Int
    var tokensOut: Int
    var finishReason: FinishReason
    var error: String?

    var event: OutputEvent {
        let length = TextLength(text)
        return OutputEvent(
            outputId: outputId, flag: flag, variant: variant, unitKey: unitKey, timestamp: timestamp, model: model,
            chars: length.characters, words: length.words, latencyMs: latencyMs, tokensIn: tokensIn, tokensOut: tokensOut,
            finishReason: finishReason, error: error)
    }
}
