import Logging

/// The id of the API key the current request was made with, as `key_id` on every line logged
/// while the request is handled: the server's log handlers take ``metadataProvider``, which reads
/// it only when a line is written.
package enum RequestKeyID {
    /// The key id, set by ``APIKeyMiddleware`` for the rest of the request.
    @TaskLocal package static var current: String?

    /// Adds `key_id` to a log line written while a request made with a key is handled.
    package static let metadataProvider = Logger.MetadataProvider {
        guard let id = current else { return [:] }
        return ["key_id": .string(id)]
    }
}
