/// The per-unit sufficient statistics of one arm: what a comparison needs, mergeable by addition.
public struct ArmMoments: Sendable, Hashable {
    /// Exposed units.
    public var units = 0
    public var outputs = 0
    /// Each metric's per-unit moments.
    public var metrics: [GuardrailMetric: RatioMoments] = [:]

    public init(units: Int = 0, outputs: Int = 0, metrics: [GuardrailMetric: RatioMoments] = [:]) {
        self.units = units
        self.outputs = outputs
        self.metrics = metrics
    }

    /// Adds one unit's contribution to `measured` metrics.
    public mutating func add(_ unit: UnitTotals, measuring measured: [GuardrailMetric]) {
        units += 1
        outputs += unit.outputs
        for metric in measured {
            let (x, y) = metric.contribution(of: unit)
            metrics[metric, default: RatioMoments()].add(x: x, y: y)
        }
    }

    /// Adds every unit of `other`.
    public mutating func merge(_ other: ArmMoments) {
        units += other.units
        outputs += other.outputs
        for (metric, moments) in other.metrics { metrics[metric, default: RatioMoments()].merge(moments) }
    }
}

/// Which units a report looks at.
public enum SegmentFilter: Sendable, Hashable {
    /// Every unit.
    case all
    /// The units of one segment.
    case only(String)
    /// The units outside every segment (the ones split by percentage).
    case unsegmented

    func admits(_ segment: String?) -> Bool {
        switch self {
        case .all: true
        case .only(let name): segment == name
        case .unsegmented: segment == nil
        }
    }
}
