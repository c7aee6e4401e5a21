/// Jittered exponential backoff: each wait is drawn uniformly from half to all of a delay that
/// doubles from the lower bound up to the upper bound, so reconnecting clients spread out.
struct Backoff: Sendable {
    let delays: ClosedRange<Duration>
    private var current: Duration

    init(_ delays: ClosedRange<Duration>) {
        self.delays = delays
        current = delays.lowerBound
    }

    /// The next wait; the one after it is twice as long, up to the upper bound.
    mutating func next() -> Duration {
        let ceiling = current
        current = min(current * 2, delays.upperBound)
        return ceiling * Double.random(in: 0.5...1)
    }

    /// Starts again from the shortest wait, after a success.
    mutating func reset() {
        current = delays.lowerBound
    }
}
