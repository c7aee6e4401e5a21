/// Something wrong in a flag document, with the place it was found.
public struct DocumentProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Where: a dotted path such as `flags.ai-summary.targeting.if[1]`, or empty for the whole document.
    public let path: String
    /// What was wrong.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A flag document could not be loaded; ``problems`` lists every error found, each with its place.
public struct FlagDocumentError: Error, Sendable, CustomStringConvertible {
    /// Every error, in document order as far as it is known.
    public let problems: [DocumentProblem]

    public init(problems: [DocumentProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
