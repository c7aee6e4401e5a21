import Foundation

extension Date {
    /// The IMF-fixdate form of an HTTP-date (RFC 9110 §5.6.7), such as `Sun, 06 Nov 1994 08:49:37 GMT`;
    /// fractions of a second are dropped.
    var httpDate: String { formatted(Self.imfFixdate) }

    private static let imfFixdate = Date.VerbatimFormatStyle(
        format: """
            \(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .padded(4)) \
            \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT
            """,
        locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(secondsFromGMT: 0)!, calendar: Calendar(identifier: .gregorian))
}
