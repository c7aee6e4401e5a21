extension Duration {
    /// Reads a compact duration such as `90s`, `15m`, `1h` or `3d` (a whole number and one unit).
    ///
    /// Amounts whose milliseconds do not fit in `Int64` (about 292 million years) are not durations;
    /// callers bound what they accept far below that and name their limit.
    public init?(compactText text: some StringProtocol) {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let secondsPerUnit: Int64
        switch unit {
        case "s": secondsPerUnit = 1
        case "m": secondsPerUnit = 60
        case "h": secondsPerUnit = 3600
        case "d": secondsPerUnit = 86_400
        default: return nil
        }
        let (milliseconds, overflow) = amount.multipliedReportingOverflow(by: secondsPerUnit * 1000)
        guard !overflow else { return nil }
        self = .milliseconds(milliseconds)
    }

    /// The duration in the largest unit that writes it exactly: `15m`, `1h`, `3d`, `90s`.
    public var compactText: String {
        let seconds = milliseconds / 1000
        if seconds != 0, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds != 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds != 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
