/// Everything one unit (usually a user) did under one flag in the current analysis period (a
/// rollout stage, see ``Aggregator/startAnalysis(of:)``).
///
/// The spec analyses per exposed unit: each unit's events are summed here, then units are compared
/// (see ``GuardrailMetric``). A unit belongs to the variant it was first seen with in the period;
/// being seen with another variant later marks it as multiply exposed, a health failure.
public struct UnitTotals: Sendable, Hashable {
    /// The variant the unit was first seen with in the period.
    public internal(set) var variant: String
    /// The segment of the unit's latest exposure.
    public var segment: String?
    /// Whether the unit was also seen with another variant in the period.
    public var isMultiplyExposed = false
    /// Whether the unit had any event in the period; units carried over from an earlier period
    /// count only once they show up again.
    public var isActive = true
    /// Exposure events, over all periods: clients deduplicate exposures, so a returning unit may
    /// send none in a new period and still be exposed.
    public var exposures = 0
    public var outputs = 0
    public var errors = 0
    public var emptyOutputs = 0
    public var truncatedOutputs = 0
    public var refusedOutputs = 0
    /// Outputs that are not errors.
    public var completedOutputs = 0
    /// Sum over the unit's outputs that are not errors of `ln(1 + chars)`.
    public var logChars = 0.0
    /// Sum over the unit's outputs of their latency in milliseconds.
    public var latencyMs = 0.0
    /// Sum over the unit's outputs of their output tokens.
    public var tokensOut = 0.0
    public var positiveFeedback = 0
    public var negativeFeedback = 0
    public var edits = 0
    public var actions = 0

    public init(variant: String) {
        self.variant = variant
    }

    mutating func noteVariant(_ seen: String) {
        if !isActive {
            variant = seen
            isActive = true
        } else if seen != variant {
            isMultiplyExposed = true
        }
    }

    /// The unit as carried into a new analysis period (``Aggregator/startAnalysis(of:)``): exposed
    /// as before, no activity yet.
    public var carriedOver: UnitTotals {
        var unit = UnitTotals(variant: variant)
        unit.segment = segment
        unit.exposures = exposures
        unit.isActive = false
        return unit
    }
}

extension UnitTotals {
    /// Adds what another server counted for the same unit in the same period: counts add up; the
    /// unit is multiply exposed when either saw that or they saw it with different variants.
    public mutating func merge(_ other: UnitTotals) {
        if other.isActive {
            if !isActive {
                variant = other.variant
                isActive = true
            } else if other.variant != variant {
                isMultiplyExposed = true
            }
        }
        isMultiplyExposed = isMultiplyExposed || other.isMultiplyExposed
        if segment == nil { segment = other.segment }
        exposures += other.exposures
        outputs += other.outputs
        errors += other.errors
        emptyOutputs += other.emptyOutputs
        truncatedOutputs += other.truncatedOutputs
        refusedOutputs += other.refusedOutputs
        completedOutputs += other.completedOutputs
        logChars += other.logChars
        latencyMs += other.latencyMs
        tokensOut += other.tokensOut
        positiveFeedback += other.positiveFeedback
        negativeFeedback += other.negativeFeedback
        edits += other.edits
        actions += other.actions
    }
}
