import AsyncHTTPClient
import NIOCore

/// One server-sent event.
struct SSEEvent: Equatable {
    var id: String?
    var event: String?
    var data: String
}

/// A minimal SSE reader over AsyncHTTPClient's streamed body, for tests.
final class SSEClient {
    private var body: HTTPClientResponse.Body.AsyncIterator
    private var pending = ""
    private(set) var heartbeats = 0
    let status: Int

    /// Opens a stream; reading it fails once `timeout` has passed since it was opened.
    init(port: Int, path: String, key: String, lastEventID: String? = nil, timeout: TimeAmount = .seconds(60)) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        status = Int(response.status.code)
        body = response.body.makeAsyncIterator()
    }

    /// The next event, skipping comments; `nil` when the stream ends.
    func next() async throws -> SSEEvent? {
        var event = SSEEvent(id: nil, event: nil, data: "")
        var hasData = false
        while true {
            guard let newline = pending.firstIndex(of: "\n") else {
                guard let buffer = try await body.next() else { return nil }
                pending += String(buffer: buffer)
                continue
            }
            let line = String(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.isEmpty {
                if hasData || event.id != nil { return event }
                continue
            }
            if line.hasPrefix(":") {
                heartbeats += 1
                continue
            }
            let field = line.prefix { $0 != ":" }
            var value = line.dropFirst(field.count + 1)
            if value.hasPrefix(" ") { value = value.dropFirst() }
            switch field {
            case "id": event.id = String(value)
            case "event": event.event = String(value)
            case "data":
                event.data += hasData ? "\n" + value : String(value)
                hasData = true
            default: break
            }
        }
    }

    /// Reads until a heartbeat comment arrives.
    func nextHeartbeat() async throws {
        let seen = heartbeats
        while heartbeats == seen {
            guard let newline = pending.firstIndex(of: "\n") else {
                guard let buffer = try await body.next() else { return }
                pending += String(buffer: buffer)
                continue
            }
            let line = pending[..<newline]
            if line.hasPrefix(":") { heartbeats += 1 }
            pending.removeSubrange(...newline)
        }
    }
}
