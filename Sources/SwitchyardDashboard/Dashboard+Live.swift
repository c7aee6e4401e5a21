import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import SwitchyardCore

/// `GET /ui/live?env=&since=`: an SSE stream of the environment's changes for the page script,
/// behind the session cookie. When the environment is already past `since` (the version the page
/// shows) or `Last-Event-ID` (on a reconnect), the stream starts with a change event, so nothing
/// that happened while the page loaded or the connection was down is missed. It ends when the
/// browser disconnects and on graceful shutdown.
extension Dashboard {
    func live(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let session = try await session(request) else {
            return Response(
                status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "sign in first\n")))
        }
        let environment = Self.environment(request)
        _ = try await environmentState(environment)
        let since =
            request.headers[Self.lastEventID].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            ?? request.uri.queryParameters["since"].flatMap { Int64($0) }
        let backend = self.backend
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    let subscription = backend.subscribe(to: environment, keyID: session.key.id)
                    defer { subscription.cancel() }
                    try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                    if let since, let current = try? await backend.state(of: environment).version, current > since {
                        try await writer.write(ByteBuffer(string: Self.event(.change(version: current, flag: nil))))
                    }
                    try await withGracefulShutdownHandler {
                        for await change in subscription.changes {
                            try await writer.write(ByteBuffer(string: Self.event(change)))
                        }
                    } onGracefulShutdown: {
                        subscription.cancel()
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// The SSE text of a change: `event: change` with `{"version", "flag"}`, or a comment.
    static func event(_ change: DashboardChange) -> String {
        switch change {
        case .heartbeat:
            return ": heartbeat\n\n"
        case .change(let version, let flag):
            let data: JSONValue = ["version": .integer(version), "flag": flag.map(JSONValue.string) ?? .null]
            return "id: \(version)\nevent: change\ndata: \(data.serialized())\n\n"
        }
    }
}
