extension Duration {
    /// Reads a compact duration such as `90s`, `15m`, `1h` or `3d` (a whole number and one unit).
    ///
    /// An amount whose milliseconds do not fit in `Int64` (about 292 million years) reads as the
    /// longest duration that does, so that the caller's own limit, far below, names the problem.
    public init?(compactText text: some StringProtocol) {
        guard let unit = text.last else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let secondsPerUnit: Int64
        switch unit {
        case "s": secondsPerUnit = 1
        case "m": secondsPerUnit = 60
        case "h": secondsPerUnit = 3600
        case "d": secondsPerUnit = 86_400
        default: return nil
        }
        guard let amount = Int64(digits) else {
            self = .milliseconds(Int64.max)
            return
        }
        self = .milliseconds(Int64.saturatingProduct(amount, secondsPerUnit * 1000))
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
