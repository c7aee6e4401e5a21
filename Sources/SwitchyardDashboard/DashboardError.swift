import SwitchyardCore

/// A refusal the dashboard shows to the person who asked: a message and, for documents, the
/// problems at their paths.
public struct DashboardError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case refused(String, [DocumentProblem])
        case notFound(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The change was refused: it is invalid, conflicts or is locked.
    public static func refused(_ message: String, problems: [DocumentProblem] = []) -> DashboardError {
        DashboardError(.refused(message, problems))
    }

    /// The thing asked for does not exist.
    public static func notFound(_ message: String) -> DashboardError { DashboardError(.notFound(message)) }

    /// What to tell the person.
    public var description: String {
        switch kind {
        case .refused(let message, _), .notFound(let message): message
        }
    }

    /// The problems at their paths, for a refused document.
    public var problems: [DocumentProblem] {
        if case .refused(_, let problems) = kind { return problems }
        return []
    }

    /// Whether this is a missing thing (answered 404).
    public var isNotFound: Bool {
        if case .notFound = kind { return true }
        return false
    }
}
