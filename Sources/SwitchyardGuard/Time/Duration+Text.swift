extension Duration {
    /// Reads a compact duration such as `90s`, `15m`, `1h` or `3d` (a whole number and one unit).
    public init?(compactText text: some StringProtocol) {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        switch unit {
        case "s": self = .seconds(amount)
        case "m": self = .seconds(amount * 60)
        case "h": self = .seconds(amount * 3600)
        case "d": self = .seconds(amount * 86_400)
        default: return nil
        }
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
