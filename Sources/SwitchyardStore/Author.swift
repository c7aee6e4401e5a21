/// Who made a change: the API key used, or the server itself.
public struct Author: Sendable, Hashable, Codable {
    /// The key id, or `system` for the server's own changes.
    public var id: String
    /// A readable name (the key's name).
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// The server itself (first start, seeding from a file).
    public static let system = Author(id: "system", name: "switchyard")
}
