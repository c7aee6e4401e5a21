import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct StreamTests {
    @Test func aStreamStartsWithTheDocumentThenDeliversEachChange() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let createdVersion = try #require(try created.json["version"]?.numberValue)

            let stream = try await SSEClient(port: try #require(client.port), path: "/api/v1/sdk/stream?client=c1", key: test.sdk)
            #expect(stream.status == 200)
            let opening = try #require(try await stream.next())
            #expect(opening.event == "document")
            #expect(opening.id == "\(Int(createdVersion))")
            let document = try JSONValue(parsing: opening.data)
            #expect(document["document"]?["flags"]?["summary"] == TestServer.summary)

            try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "bad outputs"])
            let change = try #require(try await stream.next())
            #expect(change.event == "change")
            let changeVersion = try #require(change.id.flatMap { Int64($0) })
            #expect(changeVersion > Int64(createdVersion))
            let payload = try JSONValue(parsing: change.data)
            #expect(payload["flag"] == "summary")
            #expect(payload["served"]?["targeting"] == nil)
            #expect(payload["served"]?["defaultVariant"] == "off")

            #expect(change.data.contains(#""kill":{"#), "the change names the kill")
            #expect(payload["kill"]?["reason"] == "bad outputs")
            #expect(payload["served"]?["metadata"]?["killed"] == true)

            let before = try await client.send(.get, "/api/v1/flags/summary/propagation", key: test.admin)
            #expect(try before.json["connectedClients"] == 1)
            #expect(try before.json["delivered"] == 1, "written to the stream")
            #expect(try before.json["applied"] == 0)
            #expect(try before.json["behind"] == 0)
            let receipt = try await client.send(
                .post, "/api/v1/sdk/applied", key: test.sdk, json: ["client": "c1", "version": .integer(changeVersion)])
            #expect(receipt.status == .noContent)
            let after = try await client.send(.get, "/api/v1/flags/summary/propagation", key: test.admin)
            #expect(try after.json["applied"] == 1)
            #expect(try after.json["behind"] == 0)
            #expect(try after.json["version"] == .integer(changeVersion))
            #expect(try after.json["appliedP99Ms"]?.numberValue != nil)
        }
    }

    @Test func ofrepStreamsThatPostNoReceiptsCountAsDelivered() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            var streams: [SSEClient] = []
            for index in 0..<2 {
                let stream = try await SSEClient(port: try #require(client.port), path: "/ofrep/v1/stream?client=ofrep-\(index)", key: test.sdk)
                streams.append(stream)
            }
            try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "bad outputs"])
            for stream in streams { #expect(try await stream.next()?.data.contains("refetchEvaluation") == true) }
            let answer = try await client.send(.get, "/api/v1/flags/summary/propagation", key: test.admin).json
            #expect(answer["connectedClients"] == 2)
            #expect(answer["delivered"] == 2)
            #expect(answer["applied"] == 0)
            #expect(answer["clientsWithoutReceipts"] == 2)
            #expect(answer["behind"] == 0)
            #expect(answer["deliveredP99Ms"]?.numberValue != nil)
        }
    }

    @Test func lastEventIDResumesWithTheMissedChangesOnly() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let first = Int64(try #require(try created.json["version"]?.numberValue))
            try await client.send(.post, "/api/v1/flags/summary/disable", key: test.admin)
            try await client.send(.post, "/api/v1/flags/summary/enable", key: test.admin)

            let stream = try await SSEClient(port: try #require(client.port), path: "/api/v1/sdk/stream", key: test.sdk, lastEventID: "\(first)")
            let missed1 = try #require(try await stream.next())
            let missed2 = try #require(try await stream.next())
            #expect([missed1.event, missed2.event] == ["change", "change"])
            #expect(try JSONValue(parsing: missed1.data)["served"]?["state"] == "DISABLED")
            #expect(try JSONValue(parsing: missed2.data)["served"]?["state"] == "ENABLED")
            #expect(Int64(missed1.id ?? "") ?? 0 > first)
            #expect(Int64(missed2.id ?? "") ?? 0 > Int64(missed1.id ?? "") ?? 0)

            try await client.send(.delete, "/api/v1/flags/summary", key: test.admin)
            let deleted = try #require(try await stream.next())
            #expect(try JSONValue(parsing: deleted.data)["served"] == .null)
        }
    }

    @Test func ofrepClientsAreToldToRefetch() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let stream = try await SSEClient(port: try #require(client.port), path: "/ofrep/v1/stream", key: test.sdk)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let notice = try #require(try await stream.next())
            #expect(notice.event == "message")
            #expect(try JSONValue(parsing: notice.data)["type"] == "refetchEvaluation")
        }
    }

    @Test func idleStreamsGetHeartbeats() async throws {
        let test = try await TestServer(heartbeat: .milliseconds(50))
        try await test.application().testLive { client in
            let stream = try await SSEClient(port: try #require(client.port), path: "/api/v1/sdk/stream", key: test.sdk)
            _ = try await stream.next()
            try await stream.nextHeartbeat()
            #expect(stream.heartbeats >= 1)
        }
    }

    @Test func gracefulShutdownEndsOpenStreams() async throws {
        let test = try await TestServer()
        let (ports, portSource) = AsyncStream<Int>.makeStream()
        let application = test.server.makeApplication { port in portSource.yield(port) }
        let group = ServiceGroup(services: [application], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portSource.finish() }
                try await group.run()
            }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())
            var streams: [SSEClient] = []
            for _ in 0..<3 {
                let stream = try await SSEClient(port: port, path: "/api/v1/sdk/stream", key: test.sdk)
                _ = try await stream.next()
                streams.append(stream)
            }
            await group.triggerGracefulShutdown()
            for stream in streams {
                #expect(try await stream.next() == nil)
            }
            try await tasks.next()
        }
    }
}
