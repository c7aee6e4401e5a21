import Foundation
import SwitchyardCore

extension Date {
    /// ISO 8601 in UTC, as the admin API writes times.
    var apiText: String { formatted(.iso8601) }

    /// ``apiText`` as a JSON string.
    var json: JSONValue { .string(apiText) }
}
