/// Who made a change: the API key used, or the server itself.
package struct Author: Sendable, Hashable, Codable {
    /// The key id, or `system` for the server's own changes.
    package var id: String
    /// A readable name (the key's name).
    package var name: String

    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// The server itself (first start, seeding from a file).
    package static let system = Author(id: "system", name: "switchyard")
}
