import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator for reproducible
/// simulations.
package struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    package mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Whether an event of probability `p` happens.
    package mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A standard normal number (Box–Muller).
    package mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normal number with the given median.
    package mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    /// A binomial count: `trials` draws of probability `p` (normal approximation once the
    /// variance exceeds 25).
    package mutating func binomial(trials: Int, p: Double) -> Int {
        guard trials > 0, p > 0 else { return 0 }
        if Double(trials) * p * (1 - p) <= 25 { return (0..<trials).reduce(0) { count, _ in count + (chance(p) ? 1 : 0) } }
        let mean = Double(trials) * p
        let sd = (mean * (1 - p)).squareRoot()
        return min(trials, max(0, Int((mean + sd * normal()).rounded())))
    }
}
