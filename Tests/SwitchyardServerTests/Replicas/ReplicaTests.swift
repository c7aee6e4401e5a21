import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import SwitchyardCore
import SwitchyardPostgres
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// Several servers in one process over one PostgreSQL database, as replicas behind a load balancer.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct ReplicaTests {
    /// A replica: its own store (pool and listener) and server over the shared database.
    struct Replica {
        let store: PostgresFlagStore
        let server: SwitchyardServer
        let logs: LogCapture
    }

    /// Runs `body` with `count` replicas over one new database, with an admin and an SDK key.
    static func withReplicas(
        _ count: Int, _ body: ([Replica], _ admin: String, _ sdk: String) async throws -> Void
    ) async throws {
        try await TestPostgres.withDatabase { url in try await withReplicas(count, url: url, body) }
    }

    /// The same over a database the caller made.
    static func withReplicas(
        _ count: Int, url: PostgresURL, _ body: ([Replica], _ admin: String, _ sdk: String) async throws -> Void
    ) async throws {
        try await nest(count, url: url, replicas: []) { replicas in
            let store = replicas[0].store
            let admin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret
            let sdk = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
            try await body(replicas, admin, sdk)
        }
    }

    private static func nest(_ count: Int, url: PostgresURL, replicas: [Replica], _ body: ([Replica]) async throws -> Void) async throws {
        guard replicas.count < count else { return try await body(replicas) }
        let logs = LogCapture()
        try await PostgresFlagStore.withStore(url: url, logger: logs.logger) { store in
            let server = SwitchyardServer(
                store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, keyCacheLifetime: .milliseconds(100)),
                registry: PrometheusCollectorRegistry(),
                logger: logs.logger, notifications: store)
            try await nest(count, url: url, replicas: replicas + [Replica(store: store, server: server, logs: logs)], body)
        }
    }

    @Test func aChangeThroughOneReplicaReachesTheStreamsAndAnswersOfAnother() async throws {
        try await Self.withReplicas(2) { replicas, admin, sdk in
            try await replicas[0].server.makeApplication().testLive { first in
                try await replicas[1].server.makeApplication().testLive { second in
                    let port = try #require(second.port)
                    let (change, elapsed, createdVersion) = try await withTimeLimit(.seconds(15)) {
                        let stream = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=c1", key: sdk)
                        #expect(stream.status == 200)
                        let opening = try #require(try await stream.next())
                        #expect(opening.event == "document")
                        let started = ContinuousClock.now
                        let created = try await first.send(.post, "/api/v1/flags", key: admin, json: TestServer.creation("summary"))
                        #expect(created.status == .created)
                        let change = try #require(try await stream.next())
                        return (change, ContinuousClock.now - started, try created.json["version"]?.numberValue)
                    }
                    #expect(change.event == "change")
                    #expect(try JSONValue(parsing: change.data)["flag"] == "summary")
                    #expect(change.id == createdVersion.map { "\(Int($0))" })
                    #expect(elapsed < .seconds(5), "propagated in \(elapsed)")

                    let answer = try await second.send(.post, "/ofrep/v1/evaluate/flags/summary", key: sdk, json: ["context": ["plan": "pro"]])
                    #expect(answer.status == .ok)
                    #expect(try answer.json["value"] == true)

                    // A kill through the second replica reaches the first one's answers.
                    try await second.send(.post, "/api/v1/flags/summary/kill", key: admin, json: ["reason": "bad outputs"])
                    #expect(
                        await eventually(timeout: .seconds(20)) {
                            let killed = try? await first.send(
                                .post, "/ofrep/v1/evaluate/flags/summary", key: sdk, json: ["context": ["plan": "pro"]])
                            return (try? killed?.json["value"]) == false
                        })
                }
            }
        }
    }

    @Test func revokingAKeyThroughOneReplicaEndsItsStreamsOnAnother() async throws {
        try await Self.withReplicas(2) { replicas, admin, sdk in
            try await replicas[0].server.makeApplication().testLive { first in
                try await replicas[1].server.makeApplication().testLive { second in
                    let port = try #require(second.port)
                    let created = try await first.send(
                        .post, "/api/v1/keys", key: admin, json: ["kind": "sdk", "environment": "production", "name": "doomed"])
                    let id = try #require(try created.json["id"]?.stringValue)
                    let secret = try #require(try created.json["key"]?.stringValue)
                    try await withTimeLimit(.seconds(20)) {
                        let doomed = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=doomed", key: secret)
                        #expect(try await doomed.next()?.event == "document")
                        let survivor = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=survivor", key: sdk)
                        #expect(try await survivor.next()?.event == "document")

                        #expect(try await first.send(.delete, "/api/v1/keys/\(id)", key: admin).status == .ok)
                        let started = ContinuousClock.now
                        #expect(try await doomed.next() == nil)
                        #expect(ContinuousClock.now - started < .seconds(5), "ended after \(ContinuousClock.now - started)")
                        try await first.send(.post, "/api/v1/flags", key: admin, json: TestServer.creation("summary"))
                        #expect(try await survivor.next()?.event == "change")
                    }
                    #expect(try await SSEClient(port: port, path: "/api/v1/sdk/stream", key: secret).status == 401)
                }
            }
        }
    }

    @Test func anEnvironmentCreatedThroughOneReplicaIsServedByAnother() async throws {
        try await Self.withReplicas(2) { replicas, admin, _ in
            try await replicas[0].server.makeApplication().testLive { first in
                try await replicas[1].server.makeApplication().testLive { second in
                    let created = try await first.send(.post, "/api/v1/environments", key: admin, json: ["name": "staging"])
                    #expect(created.status == .created)
                    let key = try await replicas[0].store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "staging", name: "s"), by: .system)
                    #expect(
                        await eventually(timeout: .seconds(20)) {
                            (try? await second.send(.post, "/ofrep/v1/evaluate/flags", key: key.secret, json: ["context": [:]]))?.status == .ok
                        })
                }
            }
        }
    }
}

/// A database outage: the replicas keep serving what they have, refuse writes with 503 and
/// `Retry-After`, say they are not ready, and recover by themselves when the database is back.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct ReplicaOutageTests {
    @Test func aReplicaWithoutItsDatabaseServesItsLastDocumentRefusesWritesAndRecovers() async throws {
        try await TestPostgres.withDatabase { url in
            try await ReplicaTests.withReplicas(2, url: url) { replicas, admin, sdk in
                try await replicas[0].server.makeApplication().testLive { first in
                    try await replicas[1].server.makeApplication().testLive { second in
                        try await first.send(.post, "/api/v1/flags", key: admin, json: TestServer.creation("summary"))
                        let port = try #require(second.port)
                        try await withTimeLimit(.seconds(60)) {
                            let stream = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=c1", key: sdk)
                            #expect(try await stream.next()?.event == "document")

                            try await TestPostgres.setOutage(true, of: url)
                            #expect(await eventually { (try? await second.send(.get, "/readyz", key: nil))?.status == .serviceUnavailable })
                            // The SDK key was remembered before the outage; its 100 ms are long over by now.
                            let answer = try await second.send(
                                .post, "/ofrep/v1/evaluate/flags/summary", key: sdk, json: ["context": ["plan": "pro"]])
                            #expect(answer.status == .ok)
                            #expect(try answer.json["value"] == true)
                            let refused = try await second.send(.post, "/api/v1/flags/summary/disable", key: admin)
                            #expect(refused.status == .serviceUnavailable)
                            #expect(refused.headers[.retryAfter] == "2")
                            #expect(try refused.json["error"]?["code"] == "unavailable")
                            #expect(!(try refused.json["error"]?["message"]?.stringValue ?? "").contains("password"))

                            try await TestPostgres.setOutage(false, of: url)
                            #expect(await eventually(timeout: .seconds(20)) { (try? await second.send(.get, "/readyz", key: nil))?.status == .ok })
                            #expect(await eventually(timeout: .seconds(20)) { (try? await first.send(.get, "/readyz", key: nil))?.status == .ok })
                            let killed = try await first.send(.post, "/api/v1/flags/summary/kill", key: admin, json: ["reason": "after the outage"])
                            #expect(killed.status == .ok)
                            let change = try #require(try await stream.next())
                            #expect(change.event == "change")
                            #expect(try JSONValue(parsing: change.data)["flag"] == "summary")
                        }
                    }
                }
            }
        }
    }
}

/// One replica at a time runs the kill rules and rollouts; another takes over when it stops.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct ControllerRoleTests {
    static let holding = "this replica now has the kill-rule and rollout role"

    /// Runs a replica with guardrails, trying for the role every 100 ms, while `body` runs.
    static func runReplica(url: PostgresURL, logs: LogCapture, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await PostgresFlagStore.withStore(url: url, logger: logs.logger) { store in
            let server = SwitchyardServer(
                store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(),
                logger: logs.logger, notifications: store, controllerRole: store.controllerRole(interval: .milliseconds(100)))
            try await server.makeApplication().testLive { _ in try await body() }
        }
    }

    @Test func oneReplicaHoldsTheRoleAndAnotherTakesOverWhenItStops() async throws {
        try await TestPostgres.withDatabase { url in
            let first = LogCapture()
            let second = LogCapture()
            let (stop, stopFirst) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Self.runReplica(url: url, logs: first) {
                        for await _ in stop {}
                    }
                }
                // Starting a replica takes a few hundred milliseconds alone, longer beside the whole suite.
                #expect(await eventually(timeout: .seconds(60)) { first.contains(.notice, Self.holding) })
                try await Self.runReplica(url: url, logs: second) {
                    try await Task.sleep(for: .seconds(1))
                    #expect(!second.contains(.notice, Self.holding), "ten tries while the first holds it")
                    stopFirst.finish()
                    let stopped = ContinuousClock.now
                    #expect(await eventually(timeout: .seconds(30)) { second.contains(.notice, Self.holding) })
                    #expect(ContinuousClock.now - stopped < .seconds(10), "the first replica's shutdown included")
                    #expect(await eventually { second.contains(.info, "kill rules and rollouts resumed from the store") })
                }
            }
        }
    }
}
