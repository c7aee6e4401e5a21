import Foundation

/// A set of flags served together (`production`, `staging`, ...).
package struct Environment: Sendable, Hashable {
    /// The environment created at first start.
    package static let production = "production"

    /// The unique name.
    package var name: String
    /// When it was created.
    package var createdAt: Date

    package init(name: String, createdAt: Date) {
        self.name = name
        self.createdAt = createdAt
    }

    /// Whether a name can name an environment: 1 to 64 of `a-z 0-9 - _`.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }
}
