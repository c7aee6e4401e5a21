/// One event of a `text/event-stream`.
struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `message` when absent.
    var name: String
    /// The `data:` lines joined with line feeds.
    var data: String
    /// The `id:` field of this event, or the last one seen on the stream before it.
    var id: String?
}
