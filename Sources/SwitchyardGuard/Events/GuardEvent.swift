/// One event reported by an application, as documented in `docs/events.md`.
public enum GuardEvent: Sendable, Hashable {
    /// A unit (usually a user) was served a variant of a flag.
    case exposure(ExposureEvent)
    /// The AI path produced an output for a unit.
    case output(OutputEvent)
    /// A person rated an output (thumbs up or down).
    case feedback(FeedbackEvent)
    /// A person edited an output before using it.
    case edit(EditEvent)
    /// A person acted on an output (clicked, sent, accepted, ...).
    case action(ActionEvent)
    /// A client's local circuit breaker tripped.
    case breakerTrip(BreakerTripEvent)

    /// When the event happened.
    public var timestamp: Timestamp {
        switch self {
        case .exposure(let event): event.timestamp
        case .output(let event): event.timestamp
        case .feedback(let event): event.timestamp
        case .edit(let event): event.timestamp
        case .action(let event): event.timestamp
        case .breakerTrip(let event): event.timestamp
        }
    }

    /// The value of the event's `type` member.
    public var typeName: String {
        switch self {
        case .exposure: "exposure"
        case .output: "output"
        case .feedback: "feedback"
        case .edit: "edit"
        case .action: "action"
        case .breakerTrip: "breakerTrip"
        }
    }
}

/// A unit was served a variant of a flag.
public struct ExposureEvent: Sendable, Hashable {
    public var flag: String
    public var variant: String
    /// The evaluation reason (`TARGETING_MATCH`, `SPLIT`, `STATIC`, ...).
    public var reason: String
    /// The bucketing key of the unit, normally the context's targeting key.
    public var unitKey: String
    public var timestamp: Timestamp
    /// The segment the unit belongs to, when the flag targets segments.
    public var segment: String?

    public init(flag: String, variant: String, reason: String, unitKey: String, timestamp: Timestamp, segment: String? = nil) {
        self.flag = flag
        self.variant = variant
        self.reason = reason
        self.unitKey = unitKey
        self.timestamp = timestamp
        self.segment = segment
    }
}

/// Why a model stopped producing an output.
public enum FinishReason: String, Sendable, Hashable, CaseIterable {
    /// The model finished normally.
    case stop
    /// The output was truncated at a length limit.
    case length
    /// The call failed.
    case error
    /// The model refused to answer.
    case refused
    /// The model returned nothing.
    case empty
}

/// The AI path produced an output for a unit.
public struct OutputEvent: Sendable, Hashable {
    /// Identifies the output so that feedback, edits and actions can refer to it.
    public var outputId: String
    public var flag: String
    public var variant: String
    public var unitKey: String
    public var timestamp: Timestamp
    /// The model that produced the output.
    public var model: String
    /// Length of the output in characters.
    public var chars: Int
    /// Length of the output in words.
    public var words: Int
    public var latencyMs: Double
    public var tokensIn: Int
    public var tokensOut: Int
    public var finishReason: FinishReason
    /// The error message when the call failed.
    public var error: String?

    public init(
        outputId: String, flag: String, variant: String, unitKey: String, timestamp: Timestamp, model: String,
        chars: Int, words: Int, latencyMs: Double, tokensIn: Int, tokensOut: Int, finishReason: FinishReason,
        error: String? = nil
    ) {
        self.outputId = outputId
        self.flag = flag
        self.variant = variant
        self.unitKey = unitKey
        self.timestamp = timestamp
        self.model = model
        self.chars = chars
        self.words = words
        self.latencyMs = latencyMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.finishReason = finishReason
        self.error = error
    }

    /// Whether the output counts as an error: `error` is set or the finish reason is `error`.
    public var isError: Bool { error != nil || finishReason == .error }
}

/// A person rated an output.
public struct FeedbackEvent: Sendable, Hashable {
    public var outputId: String
    public var positive: Bool
    public var timestamp: Timestamp

    public init(outputId: String, positive: Bool, timestamp: Timestamp) {
        self.outputId = outputId
        self.positive = positive
        self.timestamp = timestamp
    }
}

/// A person edited an output before using it.
public struct EditEvent: Sendable, Hashable {
    public var outputId: String
    /// Length of the edited text in characters.
    public var editedLength: Int
    /// Edit distance between the output and the edited text, in characters.
    public var editDistance: Int
    public var timestamp: Timestamp

    public init(outputId: String, editedLength: Int, editDistance: Int, timestamp: Timestamp) {
        self.outputId = outputId
        self.editedLength = editedLength
        self.editDistance = editDistance
        self.timestamp = timestamp
    }
}

/// A person acted on an output.
public struct ActionEvent: Sendable, Hashable {
    public var outputId: String
    /// What the person did: `clicked`, `sent`, `accepted`, ...
    public var name: String
    public var timestamp: Timestamp

    public init(outputId: String, name: String, timestamp: Timestamp) {
        self.outputId = outputId
        self.name = name
        self.timestamp = timestamp
    }
}

/// A client's local circuit breaker tripped and now serves the safe variant.
public struct BreakerTripEvent: Sendable, Hashable {
    public var flag: String
    /// The variant the breaker stopped serving.
    public var variant: String
    /// The kill rule that tripped, in its text form.
    public var rule: String
    /// The numbers that caused the trip, in words.
    public var detail: String
    public var timestamp: Timestamp

    public init(flag: String, variant: String, rule: String, detail: String, timestamp: Timestamp) {
        self.flag = flag
        self.variant = variant
        self.rule = rule
        self.detail = detail
        self.timestamp = timestamp
    }
}
