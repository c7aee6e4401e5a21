#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension KillRule {
    /// Measures the rule on a window's totals (and the control's, for a ratio rule).
    ///
    /// Never breaches with fewer than `minSamples` observations.
    public func measure(_ totals: ArmTotals, control: ArmTotals? = nil, from: Timestamp, through: Timestamp) -> KillRuleMeasurement {
        var measurement = KillRuleMeasurement(
            method: .wilson, observed: nil, bound: nil, limit: threshold, samples: 0, from: from, through: through, breaches: false
        )
        switch metric {
        case .rate(let rate):
            // Wilson score bound of the rate.
            let (events, trials) = rate.counts(in: totals)
            measurement.samples = trials
            measurement.observed = trials > 0 ? Double(events) / Double(trials) : nil
            measurement.bound =
                comparison == .above
                ? WilsonBound.lower(successes: events, trials: trials, z: Self.z)
                : WilsonBound.upper(successes: events, trials: trials, z: Self.z)
        case .mean(let quantity):
            // Cox's method for a log-normal mean, from log-scale moments.
            let moments = quantity.moments(in: totals)
            measurement.method = .logNormalMean
            measurement.samples = moments.count
            measurement.observed = moments.count > 0 ? moments.mean : nil
            if moments.count > 1 {
                measurement.bound = comparison == .above ? LogNormalMeanBound.lower(moments, z: Self.z) : LogNormalMeanBound.upper(moments, z: Self.z)
            }
        case .quantile(let percent, let quantity):
            // q-quantile > L ⇔ more than 1 − q of the values are above L: Wilson bound of that share.
            let sketch = quantity.sketch(in: totals) ?? QuantileSketch()
            let tail = 1 - Double(percent) / 100
            measurement.method = .exceedance
            measurement.samples = sketch.count
            measurement.observed = sketch.quantile(Double(percent) / 100)
            measurement.limit = tail
            measurement.bound = WilsonBound.lower(successes: sketch.countAbove(threshold), trials: sketch.count, z: Self.z)
        case .ratioToControl(let quantity):
            // The ratio of geometric means of 1 + x: a one-sided normal bound of the difference of
            // log-scale means, transformed back with exp.
            let treatment = quantity.moments(in: totals)
            let baseline = quantity.moments(in: control ?? ArmTotals())
            measurement.method = .logRatio
            measurement.samples = min(treatment.count, baseline.count)
            if treatment.count > 1, baseline.count > 1 {
                let difference = treatment.logMean - baseline.logMean
                let standardError = (treatment.logVariance / Double(treatment.count) + baseline.logVariance / Double(baseline.count)).squareRoot()
                measurement.observed = exp(difference)
                measurement.bound = exp(comparison == .above ? difference - Self.z * standardError : difference + Self.z * standardError)
            }
        }
        if measurement.samples >= minSamples, let bound = measurement.bound {
            measurement.breaches = comparison == .above ? bound > measurement.limit : bound < measurement.limit
        }
        return measurement
    }
}
