/// An output the aggregator remembers so that its follow-ups (feedback, edits, actions), which name
/// only the output, count for the right arm and unit.
///
/// The server stores the remembered outputs with the aggregates and puts them back after a restart
/// (``Aggregator/restore(_:)``).
public struct RememberedOutput: Sendable, Hashable {
    public var outputId: String
    /// The output's arm: flag, variant and the unit's segment when the output was counted.
    public var key: ArmKey
    public var unitKey: String
    /// When the output happened; it is forgotten once older than the aggregator's retention.
    public var timestamp: Timestamp

    public init(outputId: String, key: ArmKey, unitKey: String, timestamp: Timestamp) {
        self.outputId = outputId
        self.key = key
        self.unitKey = unitKey
        self.timestamp = timestamp
    }
}
