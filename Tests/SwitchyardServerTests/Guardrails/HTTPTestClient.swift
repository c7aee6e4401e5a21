import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Sends JSON to a server on a loopback port, for tests that run the application themselves.
struct HTTPTestClient {
    let port: Int

    @discardableResult
    func post(_ path: String, key: String, json: JSONValue) async throws -> Int {
        var request = request(path, key: key, json: json)
        request.method = .POST
        return try await send(request)
    }

    @discardableResult
    func put(_ path: String, key: String, json: JSONValue) async throws -> Int {
        var request = request(path, key: key, json: json)
        request.method = .PUT
        return try await send(request)
    }

    /// Sends a request and returns the status with the body as JSON (`null` when it is not).
    func call(_ method: HTTPMethod, _ path: String, key: String, json: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        var request = request(path, key: key, json: json ?? .null)
        request.method = method
        if json == nil { request.body = nil }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONValue(parsing: String(buffer: body))) ?? .null)
    }

    private func request(_ path: String, key: String, json: JSONValue) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json.serialized()))
        return request
    }

    private func send(_ request: HTTPClientRequest) async throws -> Int {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
