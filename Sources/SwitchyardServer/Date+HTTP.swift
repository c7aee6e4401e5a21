import Foundation

extension Date {
    /// The IMF-fixdate form of an HTTP-date (RFC 9110 §5.6.7), such as `Sun, 06 Nov 1994 08:49:37 GMT`;
    /// fractions of a second are dropped.
    var httpDate: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let whole = Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: whole)
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(parts.weekday ?? 1) - 1]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(parts.month ?? 1) - 1]
        return "\(weekday), \(padded(parts.day, 2)) \(month) \(padded(parts.year, 4)) "
            + "\(padded(parts.hour, 2)):\(padded(parts.minute, 2)):\(padded(parts.second, 2)) GMT"
    }
}
