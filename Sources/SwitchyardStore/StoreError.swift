import SwitchyardCore

/// A write or read the store refused; nothing was changed.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of refusal, which an API maps to a status code.
    package enum Kind: Sendable, Equatable {
        /// The environment, flag, segment or key does not exist (404).
        case notFound
        /// The name is taken (409).
        case alreadyExists
        /// `If-Match` named a version that is no longer current (409).
        case versionConflict
        /// The change is refused in the current state: permanent flag, not killed, segment in use (409).
        case conflict
        /// The input is invalid; ``problems`` say where (400).
        case invalid
        /// The database cannot be reached now; nothing was changed, or (when the connection broke
        /// during the commit) the change may have been stored: retry, with `If-Match` to be sure (503).
        case unavailable
    }

    private enum Reason: Sendable {
        case notFound(String, suggestion: String?)
        case alreadyExists(String)
        case versionConflict(expected: Int64, current: Int64)
        case conflict(String)
        case invalid([DocumentProblem])
        case unavailable(String)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    package static func notFound(_ what: String) -> StoreError { StoreError(.notFound(what, suggestion: nil)) }
    /// Not found, with the closest existing name when `name` looks like a typo of one.
    package static func notFound(_ kind: String, _ name: String, among existing: some Sequence<String>) -> StoreError {
        StoreError(.notFound("\(kind) \(name)", suggestion: Suggestion.closest(to: name, among: existing)))
    }
    package static func alreadyExists(_ what: String) -> StoreError { StoreError(.alreadyExists(what)) }
    package static func versionConflict(expected: Int64, current: Int64) -> StoreError {
        StoreError(.versionConflict(expected: expected, current: current))
    }
    package static func conflict(_ message: String) -> StoreError { StoreError(.conflict(message)) }
    package static func invalid(_ problems: [DocumentProblem]) -> StoreError { StoreError(.invalid(problems)) }
    /// The database cannot be reached; `message` says which, without credentials.
    package static func unavailable(_ message: String) -> StoreError { StoreError(.unavailable(message)) }
    package static func invalid(path: String, _ message: String) -> StoreError {
        StoreError(.invalid([DocumentProblem(path: path, message: message)]))
    }

    package var kind: Kind {
        switch reason {
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .versionConflict: .versionConflict
        case .conflict: .conflict
        case .invalid: .invalid
        case .unavailable: .unavailable
        }
    }

    /// Each problem with its place, for ``Kind/invalid``; otherwise one problem without a place.
    package var problems: [DocumentProblem] {
        if case .invalid(let problems) = reason { return problems }
        return [DocumentProblem(path: "", message: description)]
    }

    /// The current version, for ``Kind/versionConflict``.
    package var currentVersion: Int64? {
        if case .versionConflict(_, let current) = reason { return current }
        return nil
    }

    package var description: String {
        switch reason {
        case .notFound(let what, let suggestion): "\(what) not found" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        case .alreadyExists(let what): "\(what) already exists"
        case .versionConflict(let expected, let current): "version \(expected) is stale; the current version is \(current)"
        case .conflict(let message): message
        case .invalid(let problems): problems.map(\.description).joined(separator: "; ")
        case .unavailable(let message): message
        }
    }
}
