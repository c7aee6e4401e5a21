import AsyncHTTPClient
import Logging
import NIOCore
import SwitchyardCore

extension SwitchyardClient {
    /// The first fetch, bounded by ``Options/startTimeout``.
    func fetchAtStart() async {
        do {
            let fetched = try await withDeadline(options.startTimeout) { try await self.connection.fetchDocument(etag: nil) }
            if case .document(let document) = fetched { await apply(document) }
            setConnected(true)
        } catch {
            let state = status.withLock { $0.state }
            logger.warning(
                "no flag document from the server at start; serving the \(state == .offline ? "code defaults" : "local document")",
                metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the document current until cancelled: the SSE stream, reconnected with jittered
    /// exponential backoff and resumed with `Last-Event-ID`; polling with ETags when streaming is
    /// off or the server has no stream.
    func runSync() async {
        var backoff = Backoff(options.reconnectDelay)
        var streaming = options.streaming
        var serverRetry = Duration.zero
        while !Task.isCancelled {
            do {
                if streaming {
                    try await streamOnce(backoff: &backoff, retry: &serverRetry)
                    logger.info("the flag stream ended; reconnecting")
                } else {
                    try await pollOnce()
                    backoff.reset()
                    try await Task.sleep(for: options.pollInterval)
                    continue
                }
            } catch let error as SwitchyardClientError where error.isStreamUnsupported {
                logger.warning("falling back to polling", metadata: ["error": "\(error)"])
                streaming = false
                continue
            } catch {
                if Task.isCancelled { break }
                logger.warning("flag sync failed; serving the last known good document", metadata: ["error": "\(error)"])
            }
            setConnected(false)
            try? await Task.sleep(for: max(backoff.next(), serverRetry))
        }
    }

    /// One stream connection, until the server closes it; `retry` becomes the stream's `retry:`
    /// field, the least time to wait before reconnecting.
    private func streamOnce(backoff: inout Backoff, retry: inout Duration) async throws {
        let resume = status.withLock { $0.resumeVersion }
        let response = try await connection.openStream(lastEventID: resume)
        // The server resumes after `resume`: whatever it holds that is newer comes next, so a
        // cached document is as current as the server's from here on.
        status.withLock { status in
            if status.origin == .cache { status.origin = .server }
            status.connected = true
            publish(status)
        }
        var parser = ServerSentEventParser()
        var receivedAny = false
        for try await buffer in response.body {
            if !receivedAny {
                receivedAny = true
                backoff.reset()
            }
            for event in parser.feed(buffer.readableBytesView) {
                await handle(event)
            }
            if let milliseconds = parser.retry { retry = .milliseconds(milliseconds) }
        }
    }

    /// Applies a `document` or `change` event; anything else is ignored.
    private func handle(_ event: ServerSentEvent) async {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: event.data)
        } catch {
            logger.error("ignoring an unreadable stream event", metadata: ["event": "\(event.name)", "error": "\(error)"])
            return
        }
        guard case .integer(let version)? = json["version"] else { return }
        switch event.name {
        case "document":
            guard let members = json["document"]?.objectValue else { return }
            logger.debug("the stream sent the whole flag document", metadata: ["version": "\(version)"])
            await apply(ServedDocument(members: members, version: version, etag: nil))
        case "change":
            guard let flag = json["flag"]?.stringValue else { return }
            let served = json["served"].flatMap { $0.isNull ? nil : $0 }
            let base = status.withLock { $0.origin == .bootstrap ? nil : $0.served }
            guard let base, let current = base.version else {
                // A change without the document it applies to: start over from the whole document.
                if case .document(let document)? = try? await connection.fetchDocument(etag: nil) { await apply(document) }
                return
            }
            guard version > current else { return }
            logger.debug("the stream sent a flag change", metadata: ["version": "\(version)", "flag": "\(flag)"])
            await apply(base.applying(flag: flag, served: served, version: version))
        default:
            return
        }
    }

    /// One conditional fetch.
    private func pollOnce() async throws {
        let etag = status.withLock { $0.origin == .server ? $0.served?.etag : nil }
        let fetched = try await connection.fetchDocument(etag: etag)
        setConnected(true)
        if case .document(let document) = fetched { await apply(document) }
    }

    /// Serves a document from the server: compiles it (keeping the old one if that fails), writes
    /// the cache and reports the version as applied.
    func apply(_ document: ServedDocument) async {
        let applied: Bool = status.withLock { status in
            do {
                status.document = try document.compiled(killing: status.killed)
            } catch {
                logger.error("ignoring a flag document that does not compile", metadata: ["error": "\(error)"])
                return false
            }
            status.served = document
            status.origin = .server
            publish(status)
            return true
        }
        guard applied, let version = document.version else { return }
        logger.debug("applied flag document version \(version)")
        if let path = options.cacheFile {
            do {
                try DocumentFiles.writeCache(document, to: path)
            } catch {
                logger.error("cannot write the flag cache file", metadata: ["error": "\(error)"])
            }
        }
        do {
            try await connection.reportApplied(version: version)
        } catch {
            logger.debug("cannot report the applied version", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `operation`, cancelling it after `timeout`.
    private func withDeadline<Result: Sendable>(
        _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let result = try await group.next(), let result else { throw SwitchyardClientError.timedOut(timeout) }
            return result
        }
    }
}
