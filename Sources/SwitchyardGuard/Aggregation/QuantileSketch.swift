#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A mergeable quantile sketch over non-negative values with 1 % relative accuracy.
///
/// DDSketch (Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch with
/// relative-error guarantees", VLDB 2019): value `x ≥ 1` goes to bucket `⌈log_γ x⌉` with
/// `γ = (1 + α)/(1 − α)`, `α = 0.01`; a quantile is read as `2γⁱ/(γ + 1)`, within 1 % of the
/// true order statistic. Values below 1 share a zero bucket and read as 0. Merging adds counts, so
/// a window's sketch is the sum of its minutes' sketches.
public struct QuantileSketch: Sendable, Hashable {
    /// The relative accuracy α of every quantile the sketch returns.
    public static let relativeAccuracy = 0.01
    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    static let inverseLogGamma = 1 / log(gamma)
    /// Bucket index cap: values above γ^4000 (≈ 10^34) are clamped to the last bucket.
    static let maximumIndex = 4000

    var counts: [UInt32] = []
    var zeroCount: UInt32 = 0
    /// How many values were added.
    public internal(set) var count = 0

    public init() {}

    /// Adds one value; negative values count as 0.
    public mutating func add(_ value: Double) {
        count += 1
        guard value >= 1 else {
            zeroCount += 1
            return
        }
        let index = min(Int((log(value) * Self.inverseLogGamma).rounded(.up)), Self.maximumIndex)
        if index >= counts.count { counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count)) }
        counts[index] += 1
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: QuantileSketch) {
        if other.counts.count > counts.count {
            counts.append(contentsOf: repeatElement(0, count: other.counts.count - counts.count))
        }
        for index in other.counts.indices { counts[index] += other.counts[index] }
        zeroCount += other.zeroCount
        count += other.count
    }

    /// The `q`-quantile (0 ≤ q ≤ 1), within 1 % of the true value; `nil` when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = UInt64((min(max(q, 0), 1) * Double(count - 1)).rounded(.down))
        var seen = UInt64(zeroCount)
        if seen > rank { return 0 }
        for index in counts.indices {
            seen += UInt64(counts[index])
            if seen > rank { return Self.value(ofBucket: index) }
        }
        return Self.value(ofBucket: counts.count - 1)
    }

    /// How many values are certainly above `threshold`: the counts of the buckets lying entirely
    /// above it. Never overstates; understates by at most the one bucket holding `threshold`.
    public func countAbove(_ threshold: Double) -> Int {
        guard threshold >= 1 else { return count - Int(zeroCount) }
        let first = Int((log(threshold) * Self.inverseLogGamma).rounded(.up)) + 1
        guard first < counts.count else { return 0 }
        return counts[first...].reduce(0) { $0 + Int($1) }
    }

    static func value(ofBucket index: Int) -> Double {
        2 * pow(gamma, Double(index)) / (gamma + 1)
    }
}
