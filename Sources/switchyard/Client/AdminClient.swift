import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// A small client for the admin API: sends JSON, reports refusals on standard error.
///
/// Exit codes: 0 success, 1 the server refused the request (its message is printed), 3 the server
/// could not be reached; argument errors exit with 64 (ArgumentParser's usage code).
struct AdminClient {
    let baseURL: String
    let key: String
    /// The environment sent as `?env=`; `nil` for requests about the whole server.
    let environment: String?

    /// Exit code for a server that cannot be reached.
    static let unreachable = ExitCode(3)

    /// An HTTP client that reports a refused connection at once, instead of retrying it until the
    /// request times out: a command makes one attempt, and its user (or script) decides what next.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Sends a request and returns the JSON answer (`null` for an empty body); exits on a refusal.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> (json: JSONValue, headers: HTTPHeaders) {
        let answer = try await perform(method, path, query: query, body: body, headers: headers)
        return (try Self.accepted(answer), answer.headers)
    }

    /// Like ``send(_:_:query:body:headers:)``, but `nil` when the server answers 404.
    func sendAllowingNotFound(_ method: HTTPMethod, _ path: String) async throws -> JSONValue? {
        let answer = try await perform(method, path)
        if answer.status == .notFound { return nil }
        return try Self.accepted(answer)
    }

    /// The JSON of a 2xx answer; a refusal, or a 2xx answer that is not readable JSON, is printed
    /// and exits 1.
    private static func accepted(_ answer: Answer) throws -> JSONValue {
        guard (200..<300).contains(answer.status.code) else {
            report(status: answer.status, (try? answer.body.get()) ?? .string(answer.text))
            throw ExitCode.failure
        }
        switch answer.body {
        case .success(let json): return json
        case .failure(let error):
            throw refuse("the server's answer (\(answer.status.code)) is not JSON this client can read: \(error.description.terminalSafe())")
        }
    }

    /// A server's answer: the status, the body parsed as JSON (or why not) and as text, the headers.
    private typealias Answer = (status: HTTPResponseStatus, body: Result<JSONValue, JSONParseError>, text: String, headers: HTTPHeaders)

    /// One request; exits with ``unreachable`` when the server cannot be reached.
    private func perform(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> Answer {
        var components = URLComponents()
        let items = (environment.map { [("env", $0)] } ?? []) + query
        if !items.isEmpty { components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) } }
        var request = HTTPClientRequest(url: baseURL + path + (components.url?.absoluteString ?? ""))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await Self.http.execute(request, timeout: .seconds(30))
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            printError(
                "error: cannot reach the server at \(baseURL) (\(error)). Is `switchyard serve` running there? "
                    + "Point --server or $SWITCHYARD_URL at it.")
            throw Self.unreachable
        }
        let text = String(buffer: bytes)
        let parsed = text.isEmpty ? Result.success(JSONValue.null) : Result { () throws(JSONParseError) in try JSONValue(parsing: text) }
        return (response.status, parsed, text, response.headers)
    }

    /// Prints a refusal the command found itself, and returns the exit code the server's refusals get.
    static func refuse(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return .failure
    }

    /// Prints a refusal: the message and each problem with its place.
    static func report(status: HTTPResponseStatus, _ json: JSONValue) {
        guard let error = json["error"] else {
            printError("error: \(status.code) \(status.reasonPhrase.terminalSafe())")
            return
        }
        let summary = error["message"]?.stringValue?.terminalSafe() ?? "\(status.code) \(status.reasonPhrase.terminalSafe())"
        printError("error: \(summary)")
        let problems = (error["problems"]?.arrayValue ?? []).map { problem in
            let path = problem["path"]?.stringValue?.terminalSafe() ?? ""
            return (path.isEmpty ? "" : path + ": ") + (problem["message"]?.stringValue?.terminalSafe() ?? "")
        }
        guard problems != [summary] else { return }
        for problem in problems { printError("  " + problem) }
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `If-Match` with `version`, else with the version of `current` (a flag or segment as the
    /// server answers it); none when neither is known.
    static func ifMatch(_ version: Int64?, _ current: JSONValue?) -> [(String, String)] {
        guard let base = version ?? current?["version"]?.numberValue.map(Int64.init) else { return [] }
        return [("If-Match", "\"\(base)\"")]
    }
}
