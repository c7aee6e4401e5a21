import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SwitchyardCore
import SwitchyardGuard

/// The server's SDK endpoints, authenticated with the SDK key.
struct SDKConnection: Sendable {
    /// What a conditional document fetch found.
    enum Fetched: Sendable {
        case document(ServedDocument)
        case notModified
    }

    let http: HTTPClient
    /// The server's base URL without a trailing slash.
    let base: String
    let sdkKey: String
    let clientID: String
    let timeout: Duration
    let logger: Logger

    /// The largest document or error body read.
    static let maximumBodyBytes = 64 << 20

    /// `GET /api/v1/sdk/flags`, conditional on `etag`.
    func fetchDocument(etag: String?) async throws -> Fetched {
        var request = makeRequest("/api/v1/sdk/flags")
        if let etag { request.headers.replaceOrAdd(name: "If-None-Match", value: etag) }
        let response = try await http.execute(request, timeout: .init(timeout), logger: logger)
        let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        switch response.status.code {
        case 304:
            return .notModified
        case 200:
            let json = try JSONValue(parsing: Array(buffer: body))
            guard let members = json["document"]?.objectValue, case .integer(let version)? = json["version"] else {
                throw SwitchyardClientError.payload("the flags answer has no document or version")
            }
            return .document(ServedDocument(members: members, version: version, etag: response.headers.first(name: "ETag")))
        default:
            throw SwitchyardClientError.status(response.status.code, "GET /api/v1/sdk/flags")
        }
    }

    /// Opens `GET /api/v1/sdk/stream`, resuming after `lastEventID`; the caller reads the body.
    func openStream(lastEventID: Int64?) async throws -> HTTPClientResponse {
        var request = makeRequest("/api/v1/sdk/stream")
        request.headers.replaceOrAdd(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.replaceOrAdd(name: "Last-Event-ID", value: String(lastEventID)) }
        let response = try await http.execute(request, deadline: .distantFuture, logger: logger)
        switch response.status.code {
        case 200:
            let type = response.headers.first(name: "Content-Type") ?? ""
            guard type.hasPrefix("text/event-stream") else {
                throw SwitchyardClientError.streamUnsupported("content type \(type)")
            }
            return response
        case 404, 405, 501:
            throw SwitchyardClientError.streamUnsupported("HTTP \(response.status.code)")
        default:
            throw SwitchyardClientError.status(response.status.code, "GET /api/v1/sdk/stream")
        }
    }

    /// `POST /api/v1/sdk/applied`: this client now serves `version` (a propagation receipt).
    func reportApplied(version: Int64) async throws {
        let body: JSONValue = ["client": .string(clientID), "version": .integer(version)]
        try await post("/api/v1/sdk/applied", body: body)
    }

    /// `POST /api/v1/events` with one batch.
    func send(_ batch: EventBatch) async throws {
        try await post("/api/v1/events", body: batch.json)
    }

    private func post(_ path: String, body: JSONValue) async throws {
        var request = makeRequest(path)
        request.method = .POST
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.serialized()))
        let response = try await http.execute(request, timeout: .init(timeout), logger: logger)
        _ = try await response.body.collect(upTo: Self.maximumBodyBytes)
        guard (200..<300).contains(response.status.code) else {
            throw SwitchyardClientError.status(response.status.code, "POST \(path)")
        }
    }

    private func makeRequest(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(sdkKey)")
        request.headers.replaceOrAdd(name: "X-Switchyard-Client", value: clientID)
        return request
    }
}
