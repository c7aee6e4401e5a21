/// Why a request to the server or a document file failed. The client logs these and carries on;
/// none reaches an evaluation.
struct SwitchyardClientError: Error, CustomStringConvertible {
    private enum Kind {
        case status(Int, String)
        case payload(String)
        case file(String, String)
        case streamUnsupported(String)
        case timedOut(Duration)
    }

    private let kind: Kind

    /// The server answered with an unexpected status.
    static func status(_ code: UInt, _ request: String) -> SwitchyardClientError {
        SwitchyardClientError(kind: .status(Int(code), request))
    }

    /// The server's answer could not be read.
    static func payload(_ problem: String) -> SwitchyardClientError {
        SwitchyardClientError(kind: .payload(problem))
    }

    /// A cache or bootstrap file could not be read or written.
    static func file(_ path: String, _ problem: String) -> SwitchyardClientError {
        SwitchyardClientError(kind: .file(path, problem))
    }

    /// The server does not offer the SSE stream; the client polls instead.
    static func streamUnsupported(_ problem: String) -> SwitchyardClientError {
        SwitchyardClientError(kind: .streamUnsupported(problem))
    }

    /// The server did not answer in time.
    static func timedOut(_ limit: Duration) -> SwitchyardClientError {
        SwitchyardClientError(kind: .timedOut(limit))
    }

    /// Whether streaming cannot work with this server, so polling should take over.
    var isStreamUnsupported: Bool {
        if case .streamUnsupported = kind { return true }
        return false
    }

    /// Whether sending again may succeed: not for a request the server refused as such (4xx other
    /// than 408 and 429).
    var isRetryable: Bool {
        guard case .status(let code, _) = kind else { return true }
        return !(400..<500).contains(code) || code == 408 || code == 429
    }

    var description: String {
        switch kind {
        case .status(let code, let request): "\(request) answered HTTP \(code)"
        case .payload(let problem): "unreadable answer from the server: \(problem)"
        case .file(let path, let problem): "\(path): \(problem)"
        case .streamUnsupported(let problem): "the server offers no flag stream: \(problem)"
        case .timedOut(let limit): "no answer within \(limit)"
        }
    }
}
