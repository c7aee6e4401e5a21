import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import SwitchyardCore
import SwitchyardGuard

/// Evaluates Switchyard feature flags in-process and reports what they served.
///
/// ```swift
/// let flags = await SwitchyardClient(url: URL(string: "http://127.0.0.1:8700")!, sdkKey: key)
/// if flags.bool("ai-document-summary", default: false, context: .user("u-42")) { ... }
/// await flags.shutdown()
/// ```
///
/// Evaluations are synchronous and never throw: they read an immutable snapshot of the flag
/// document without taking a lock. The document comes from, in order of preference:
/// 1. the server (the live document, kept current over the SSE stream or by polling);
/// 2. the last known good document in ``Options/cacheFile``;
/// 3. the flagd file in ``Options/bootstrapFile``;
/// 4. none: every evaluation serves the code default (a flag the client has never seen too,
///    with `FLAG_NOT_FOUND`).
///
/// A client owns background tasks and connections: call ``shutdown()`` once when done.
public final class SwitchyardClient: Sendable {
    let options: Options
    let logger: Logger
    let connection: SDKConnection
    let current: SnapshotCell
    let status: Mutex<SyncStatus>
    let events: EventQueue
    let exposures: ExposureMemory
    let breakers = Mutex(LocalBreakers())
    let hasBreakers = Atomic<Bool>(false)
    /// How many events the local breakers have evaluated, so a test can tell a breaker that saw
    /// events and did not trip from one that has not looked yet.
    let breakerEventsChecked = Atomic<Int>(0)
    let outputIDs = OutputIDs()
    let flushSignal: AsyncStream<Void>.Continuation
    let flushRequests: AsyncStream<Void>
    /// Events for the local breakers, taken by their own task so that a slow or unreachable
    /// server never delays a trip.
    let breakerInbox = Mutex<[PendingEvent]>([])
    let breakerSignal: AsyncStream<Void>.Continuation
    let breakerRequests: AsyncStream<Void>
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let http: HTTPClient

    /// Starts a client: loads the cache or bootstrap file, waits up to ``Options/startTimeout`` for
    /// the server's document, then keeps syncing in the background. It never fails: when the
    /// server is down it serves what it has and reports ``ClientState/stale`` or ``ClientState/offline``.
    /// - Parameters:
    ///   - url: the server, for example `http://127.0.0.1:8700`.
    ///   - sdkKey: an SDK key of the environment to serve.
    public init(url: URL, sdkKey: String, options: Options = Options()) async {
        self.options = options
        var logger = options.logger
        let clientID = options.clientID ?? "swift-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        logger[metadataKey: "switchyard.client"] = "\(clientID)"
        self.logger = logger
        http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(timeout: .init(connect: .init(options.requestTimeout), read: .init(options.streamIdleTimeout))))
        var base = url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        connection = SDKConnection(
            http: http, base: base, sdkKey: sdkKey, clientID: clientID, timeout: options.requestTimeout, logger: logger)
        events = EventQueue(capacity: options.maximumQueuedEvents)
        exposures = ExposureMemory(window: options.exposureWindow)
        (flushRequests, flushSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (breakerRequests, breakerSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

        let local = Self.loadLocalDocument(options: options, logger: logger)
        var initial = SyncStatus()
        if let local {
            initial.served = local.document
            initial.origin = local.origin
            initial.document = try? local.document.compiled(killing: [])
        }
        status = Mutex(initial)
        current = SnapshotCell(initial.snapshot)

        await fetchAtStart()
        startBackgroundWork()
    }

    /// What the client is serving: the live document, a stale one, or code defaults only.
    public var state: ClientState { current.read(\.state) }

    /// The server version of the document being served, `nil` when it is a bootstrap file or none.
    public var version: Int64? { current.read(\.version) }

    /// Stops syncing, flushes the queued events (within ``Options/shutdownTimeout``) and closes the
    /// connections. Evaluations keep serving the last document afterwards; events are no longer sent.
    public func shutdown() async {
        let running = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        guard running.count == 4 else { return }
        let (pump, breaker, ticker, sync) = (running[0], running[1], running[2], running[3])
        ticker.cancel()
        sync.cancel()
        breakerSignal.finish()
        await breaker.value
        flushSignal.finish()
        let timeout = options.shutdownTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pump.value }
            group.addTask {
                try? await Task.sleep(for: timeout)
                pump.cancel()
            }
            await group.next()
            group.cancelAll()
        }
        await ticker.value
        await sync.value
        do {
            try await http.shutdown()
        } catch {
            logger.debug("closing the HTTP client failed", metadata: ["error": "\(error)"])
        }
        setConnected(false)
    }

    /// The cache file's document, else the bootstrap file's; unreadable files are logged and skipped.
    private static func loadLocalDocument(options: Options, logger: Logger) -> (document: ServedDocument, origin: SyncStatus.Origin)? {
        if let path = options.cacheFile, FileManager.default.fileExists(atPath: path) {
            do {
                return (try DocumentFiles.readCache(path), .cache)
            } catch {
                logger.error("ignoring the flag cache file", metadata: ["error": "\(error)"])
            }
        }
        if let path = options.bootstrapFile {
            do {
                return (try DocumentFiles.readBootstrap(path), .bootstrap)
            } catch {
                logger.error("ignoring the bootstrap flag file", metadata: ["error": "\(error)"])
            }
        }
        return nil
    }

    private func startBackgroundWork() {
        let pump = Task { await self.runEventPump() }
        let breaker = Task { await self.runBreakers() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.options.flushInterval)
                self.flushSignal.yield()
                self.breakerSignal.yield()
            }
        }
        let sync = Task { await self.runSync() }
        tasks.withLock { $0 = [pump, breaker, ticker, sync] }
    }

    /// Publishes the snapshot for the current status; call with the status lock held.
    func publish(_ status: SyncStatus) {
        current.store(status.snapshot)
    }

    /// Records whether the server is reachable, publishing the state change.
    func setConnected(_ connected: Bool) {
        status.withLock { status in
            guard status.connected != connected else { return }
            status.connected = connected
            publish(status)
        }
    }
}
