import Foundation
import SwitchyardGuard

extension WallClock {
    /// The current time as a `Date`, for what the stores, the server and the dashboard keep as dates.
    package var date: Date { Date(timeIntervalSince1970: Double(now.millisecondsSinceEpoch) / 1000) }
}
