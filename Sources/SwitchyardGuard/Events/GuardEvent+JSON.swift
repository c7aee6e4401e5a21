import SwitchyardCore

extension GuardEvent {
    /// The event types accepted in a batch, as written in the `type` member.
    public static let typeNames = ["exposure", "output", "feedback", "edit", "action", "breakerTrip"]

    /// Decodes and validates one event; `path` names it in errors, for example `events[3]`.
    public init(json: JSONValue, path: String = "event") throws(EventValidationError) {
        let fields = try EventFields(json, path: path)
        guard let type = fields.members["type"], !type.isNull else { throw .missing(fields.fieldPath("type")) }
        switch type.stringValue {
        case "exposure":
            self = .exposure(
                ExposureEvent(
                    flag: try fields.identifier("flag"),
                    variant: try fields.identifier("variant"),
                    reason: try fields.identifier("reason"),
                    unitKey: try fields.identifier("unitKey"),
                    timestamp: try fields.timestamp("timestamp"),
                    segment: try fields.optionalIdentifier("segment")
                )
            )
        case "output":
            self = .output(
                OutputEvent(
                    outputId: try fields.identifier("outputId"),
                    flag: try fields.identifier("flag"),
                    variant: try fields.identifier("variant"),
                    unitKey: try fields.identifier("unitKey"),
                    timestamp: try fields.timestamp("timestamp"),
                    model: try fields.identifier("model"),
                    chars: try fields.count("chars"),
                    words: try fields.count("words"),
                    latencyMs: try fields.nonNegativeNumber("latencyMs"),
                    tokensIn: try fields.count("tokensIn"),
                    tokensOut: try fields.count("tokensOut"),
                    finishReason: try fields.oneOf("finishReason", as: FinishReason.self),
                    error: try fields.optionalText("error")
                )
            )
        case "feedback":
            self = .feedback(
                FeedbackEvent(
                    outputId: try fields.identifier("outputId"),
                    positive: try fields.bool("positive"),
                    timestamp: try fields.timestamp("timestamp")
                )
            )
        case "edit":
            self = .edit(
                EditEvent(
                    outputId: try fields.identifier("outputId"),
                    editedLength: try fields.count("editedLength"),
                    editDistance: try fields.count("editDistance"),
                    timestamp: try fields.timestamp("timestamp")
                )
            )
        case "action":
            self = .action(
                ActionEvent(
                    outputId: try fields.identifier("outputId"),
                    name: try fields.identifier("name"),
                    timestamp: try fields.timestamp("timestamp")
                )
            )
        case "breakerTrip":
            self = .breakerTrip(
                BreakerTripEvent(
                    flag: try fields.identifier("flag"),
                    variant: try fields.identifier("variant"),
                    rule: try fields.text("rule", maximum: EventFields.maximumTextBytes),
                    detail: try fields.optionalText("detail") ?? "",
                    timestamp: try fields.timestamp("timestamp")
                )
            )
        default:
            throw .notOneOf(fields.fieldPath("type"), Self.typeNames)
        }
    }

    /// The event as JSON, in the documented schema.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["type": .string(typeName), "timestamp": .integer(timestamp.millisecondsSinceEpoch)]
        switch self {
        case .exposure(let event):
            members["flag"] = .string(event.flag)
            members["variant"] = .string(event.variant)
            members["reason"] = .string(event.reason)
            members["unitKey"] = .string(event.unitKey)
            if let segment = event.segment { members["segment"] = .string(segment) }
        case .output(let event):
            members["outputId"] = .string(event.outputId)
            members["flag"] = .string(event.flag)
            members["variant"] = .string(event.variant)
            members["unitKey"] = .string(event.unitKey)
            members["model"] = .string(event.model)
            members["chars"] = .integer(Int64(event.chars))
            members["words"] = .integer(Int64(event.words))
            members["latencyMs"] = .double(event.latencyMs)
            members["tokensIn"] = .integer(Int64(event.tokensIn))
            members["tokensOut"] = .integer(Int64(event.tokensOut))
            members["finishReason"] = .string(event.finishReason.rawValue)
            if let error = event.error { members["error"] = .string(error) }
        case .feedback(let event):
            members["outputId"] = .string(event.outputId)
            members["positive"] = .bool(event.positive)
        case .edit(let event):
            members["outputId"] = .string(event.outputId)
            members["editedLength"] = .integer(Int64(event.editedLength))
            members["editDistance"] = .integer(Int64(event.editDistance))
        case .action(let event):
            members["outputId"] = .string(event.outputId)
            members["name"] = .string(event.name)
        case .breakerTrip(let event):
            members["flag"] = .string(event.flag)
            members["variant"] = .string(event.variant)
            members["rule"] = .string(event.rule)
            if !event.detail.isEmpty { members["detail"] = .string(event.detail) }
        }
        return .object(members)
    }
}
