import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

extension AdminController {
    /// What a write's answer shows besides the change version: the flag or segment as written, with
    /// its version as the `ETag`.
    enum WriteSubject {
        case flag(String)
        case segment(String)
    }

    /// A write's answer: the environment's new version, and the flag or segment as written.
    struct WriteAnswer: ResponseEncodable {
        let environment: String
        let version: Int64
        var flag: FlagView?
        var segment: SegmentView?
    }

    /// The one write path (``FlagWriter``, shared with the guardrails): store (flag + audit + change
    /// feed), then snapshot and streams, then the answer.
    func write(
        _ mutation: Mutation, showing subject: WriteSubject?, _ request: Request, _ context: SwitchyardRequestContext,
        status: HTTPResponse.Status = .ok, reason: String? = nil
    ) async throws -> EditedResponse<WriteAnswer> {
        let environment = Self.environment(request)
        let reason = reason ?? request.uri.queryParameters["reason"].map(String.init)
        let change = try await perform(mutation, in: environment, by: try context.author, reason: reason)
        var answer = WriteAnswer(environment: environment, version: change.version)
        var headers: HTTPFields = [:]
        switch subject {
        case .flag(let key):
            if let flag = try await store.flag(key, in: environment) {
                answer.flag = FlagView(flag)
                headers[.eTag] = flag.etag
            }
        case .segment(let name):
            if let segment = try await store.state(of: environment).segments[name] {
                answer.segment = SegmentView(segment)
                headers[.eTag] = segment.etag
            }
        case nil:
            break
        }
        return EditedResponse(status: status, headers: headers, response: answer)
    }

    /// A write as any admin makes it (the API or the dashboard): refused while a running rollout
    /// owns the targeting (``RolloutLocks``), else stored, audited and announced (``FlagWriter``).
    func perform(_ mutation: Mutation, in environment: String, by author: Author, reason: String?) async throws -> ChangeRecord {
        try await locks.check(mutation, in: environment) { try await store.state(of: environment) }
        return try await FlagWriter(store: store, feed: feed, metrics: metrics).apply(mutation, to: environment, by: author, reason: reason)
    }

    func state(_ request: Request) async throws -> EnvironmentState {
        try await store.state(of: Self.environment(request))
    }

    static func environment(_ request: Request) -> String {
        request.uri.queryParameters["env"].map(String.init) ?? Environment.production
    }

    /// The version in `If-Match` (`"3"`, `W/"3"` or `3`), if sent.
    static func ifMatch(_ request: Request) throws -> Int64? {
        guard let value = request.headers[.ifMatch] else { return nil }
        var text = Substring(value).trimmingSpaces
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let version = Int64(text) else { throw APIError.badRequest("If-Match must be a version such as \"3\" (an ETag)", path: "If-Match") }
        return version
    }

    static func intParameter(_ request: Request, _ name: String, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(text), number >= 0 else { throw APIError.badRequest("must be a whole number", path: name) }
        return number
    }
}
