import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import SwitchyardCore
import SwitchyardGuard

/// Evaluates Switchyard feature flags in-process and reports what they served.
///
/// ```swift
/// let flags = SwitchyardClient(url: URL(string: "http://127.0.0.1:8700")!, sdkKey: key)
/// let running = await flags.start()      // or add `flags` to a ServiceGroup
/// if flags.bool("ai-document-summary", default: false, context: .user("u-42")) { ... }
/// await running.stop()                   // stops syncing, flushes the events
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
/// The client is a ServiceLifecycle `Service`: ``run()`` owns its background work (syncing,
/// sending events, local breakers) and ends, after flushing the events, on graceful shutdown.
/// Applications without ServiceLifecycle call ``start()`` and ``BackgroundRun/stop()``.
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
    /// Whether ``run()`` has started: a client runs once.
    let started = Atomic<Bool>(false)
    let http: HTTPClient

    /// A client serving the cache file's document, else the bootstrap file's, else code defaults,
    /// until ``run()`` (or ``start()``) fetches the server's. It never fails: unreadable files are
    /// logged and skipped.
    /// - Parameters:
    ///   - url: the server, for example `http://127.0.0.1:8700`.
    ///   - sdkKey: an SDK key of the environment to serve.
    public init(url: URL, sdkKey: String, options: Options = Options()) {
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
        exposures = ExposureMemory(window: options.exposureWindow, now: options.clock.now)
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
    }

    /// A client that never ran still owns its HTTP client, which must be shut down (without
    /// blocking: this may run on any thread); ``run()`` shuts it down itself.
    deinit {
        if !started.load(ordering: .relaxed) { http.shutdown { _ in } }
    }

    /// What the client is serving: the live document, a stale one, or code defaults only.
    public var state: ClientState { current.read(\.state) }

    /// The server version of the document being served, `nil` when it is a bootstrap file or none.
    public var version: Int64? { current.read(\.version) }

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
