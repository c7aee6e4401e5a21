import Foundation
import SwitchyardCore

extension Date {
    /// ISO 8601 in UTC, as the admin API writes times.
    var json: JSONValue { .string(formatted(.iso8601)) }
}
