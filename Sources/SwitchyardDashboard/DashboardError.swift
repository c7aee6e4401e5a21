import SwitchyardCore

/// A refusal the dashboard shows to the person who asked: a message and, for documents, the
/// problems at their paths.
package struct DashboardError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case refused(String, [DocumentProblem])
        case notFound(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The change was refused: it is invalid, conflicts or is locked.
    package static func refused(_ message: String, problems: [DocumentProblem] = []) -> DashboardError {
        DashboardError(.refused(message, problems))
    }

    /// The thing asked for does not exist.
    package static func notFound(_ message: String) -> DashboardError { DashboardError(.notFound(message)) }

    /// What to tell the person.
    package var description: String {
        switch kind {
        case .refused(let message, _), .notFound(let message): message
        }
    }

    /// The problems at their paths, for a refused document.
    package var problems: [DocumentProblem] {
        if case .refused(_, let problems) = kind { return problems }
        return []
    }

    /// Whether this is a missing thing (answered 404).
    package var isNotFound: Bool {
        if case .notFound = kind { return true }
        return false
    }
}
