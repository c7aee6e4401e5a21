import GRPCCore
import Logging
import ServiceLifecycle
import SwitchyardCore
import SwitchyardGRPC
import SwitchyardTestSupport
import Testing

/// `flagd.sync.v1.FlagSyncService` as flagd's in-process providers and the flagd daemon use it.
@Suite struct FlagSyncTests {
    static let summary: JSONValue = [
        "key": "summary", "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
        "safeVariant": "off", "targeting": ["if": [["==": [["var": "plan"], "pro"]], "on", "off"]],
    ]

    @Test func syncSendsTheWholeDocumentOnConnectAsFlagdReadsIt() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { _, grpc in
            try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk)) { documents in
                let document = try #require(try await documents.next())
                let flags = try #require(document["flags"]?.objectValue)
                #expect(Set(flags.keys) == ["ai-document-summary", "summary-model-version", "summary-model-config", "ai-email-drafting"])
                #expect(document["metadata"]?["flagSetId"] == "ai-features")
                #expect(document["$evaluators"]?["internal-users"] != nil, "shared rules stay, referenced by $ref")
                #expect(flags["ai-document-summary"]?["safeVariant"] == nil, "flagd's evaluators refuse Switchyard's own members")
                #expect(flags["ai-document-summary"]?["defaultVariant"] == "off")
                // What a flagd evaluator loads evaluates as the server does.
                let loaded = try FlagDocument(json: document)
                let context = EvaluationContext(targetingKey: "u-1", attributes: ["email": "dev@acme.com"])
                #expect(loaded.resolve("ai-document-summary", context: context).value == true)

                var fetch = Flagd_Sync_V1_FetchAllFlagsRequest()
                fetch.providerID = "once"
                let fetched = try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc)
                    .fetchAllFlags(fetch, metadata: GRPCTestServer.bearer(test.sdk))
                #expect(try JSONValue(parsing: fetched.flagConfiguration) == document)
                let metadata = try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc)
                    .getMetadata(Flagd_Sync_V1_GetMetadataRequest(), metadata: GRPCTestServer.bearer(test.sdk))
                #expect(metadata.hasMetadata && metadata.metadata.fields.isEmpty, "no static context: providers merge it into every evaluation")
            }
        }
    }

    @Test func aChangeAndAKillReachTheStreamWithinASecondAndCountAsDelivered() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { http, grpc in
            var request = Flagd_Sync_V1_SyncFlagsRequest()
            request.providerID = "sidecar-1"
            try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk), request: request) { documents in
                _ = try #require(try await documents.next())
                #expect(try await http.send(.post, "/api/v1/flags", key: test.admin, json: Self.summary).status == .created)
                let changed = try #require(try await documents.next(within: .seconds(1)))
                #expect(changed["flags"]?["summary"]?["targeting"] != nil)

                #expect(try await http.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "bad outputs"]).status == .ok)
                let killed = try #require(try await documents.next(within: .seconds(1)))
                let flag = try #require(killed["flags"]?["summary"])
                #expect(flag["targeting"] == nil, "a kill serves the safe variant to everyone")
                #expect(flag["defaultVariant"] == "off")
                #expect(flag["metadata"]?["killed"] == true)
                #expect(try FlagDocument(json: killed).resolve("summary", context: EvaluationContext(attributes: ["plan": "pro"])).value == false)

                let propagation = try await http.send(.get, "/api/v1/flags/summary/propagation", key: test.admin).json
                #expect(propagation["connectedClients"] == 1)
                #expect(propagation["delivered"] == 1, "the kill was written to the sync stream")
                #expect(propagation["behindClients"] == [])
            }
        }
    }

    @Test func selectorsChooseAFlagSetByHeaderOrDeprecatedField() async throws {
        let test = try await GRPCTestServer([
            "metadata": ["flagSetId": "web"],
            "flags": [
                "checkout": ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "on"],
                "summary": [
                    "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "metadata": ["flagSetId": "ai"],
                ],
            ],
        ])
        try await test.run { _, grpc in
            var metadata = GRPCTestServer.bearer(test.sdk)
            metadata.addString("flagSetId=ai", forKey: "flagd-selector")
            try await withSyncStream(grpc, metadata: metadata) { documents in
                let document = try #require(try await documents.next())
                #expect(document["flags"]?.objectValue?.keys.sorted() == ["summary"])
            }
            var request = Flagd_Sync_V1_SyncFlagsRequest()
            request.selector = "flagSetId=web"
            try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk), request: request) { documents in
                let document = try #require(try await documents.next())
                #expect(document["flags"]?.objectValue?.keys.sorted() == ["checkout"])
            }
            var fetch = Flagd_Sync_V1_FetchAllFlagsRequest()
            fetch.selector = "source=database"
            let error = await #expect(throws: RPCError.self) {
                try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc).fetchAllFlags(fetch, metadata: GRPCTestServer.bearer(test.sdk))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("an environment is a single source") == true)
        }
    }

    @Test func callsWithoutAnSDKKeyAreRefused() async throws {
        let test = try await GRPCTestServer()
        try await test.run { _, grpc in
            let sync = Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc)
            let cases: [(Metadata, RPCError.Code)] = [
                ([:], .unauthenticated), (GRPCTestServer.bearer("sy_sdk_not-a-key"), .unauthenticated),
                (GRPCTestServer.bearer(test.admin), .permissionDenied),
            ]
            for (metadata, code) in cases {
                let fetchError = await #expect(throws: RPCError.self) {
                    try await sync.fetchAllFlags(Flagd_Sync_V1_FetchAllFlagsRequest(), metadata: metadata)
                }
                #expect(fetchError?.code == code)
                let streamError = await #expect(throws: RPCError.self) {
                    try await withSyncStream(grpc, metadata: metadata) { documents in _ = try await documents.next() }
                }
                #expect(streamError?.code == code)
                let evaluationError = await #expect(throws: RPCError.self) {
                    var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
                    request.flagKey = "summary"
                    _ = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc).resolveBoolean(request, metadata: metadata)
                }
                #expect(evaluationError?.code == code)
            }
        }
    }

    @Test func aKeyBoundToASelectorServesClientsThatSendNoMetadataUntilItIsRevoked() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags()) { keyID in
            [try FlagdSelectorBinding("\(keyID)=flagSetId=ai-features")]
        }
        try await test.run { http, grpc in
            var request = Flagd_Sync_V1_SyncFlagsRequest()
            request.selector = "flagSetId=ai-features"
            try await withSyncStream(grpc, metadata: [:], request: request) { documents in
                let document = try await documents.next()
                #expect(document?["flags"]?["ai-document-summary"] != nil)
            }
            var other = Flagd_Sync_V1_FetchAllFlagsRequest()
            other.selector = "flagSetId=other"
            let unbound = await #expect(throws: RPCError.self) {
                try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc).fetchAllFlags(other, metadata: [:])
            }
            #expect(unbound?.code == .unauthenticated)

            #expect(try await http.send(.delete, "/api/v1/keys/\(test.sdkKeyID)", key: test.admin).status == .ok)
            let revoked = await #expect(throws: RPCError.self) {
                try await withSyncStream(grpc, metadata: [:], request: request) { documents in _ = try await documents.next() }
            }
            #expect(revoked?.code == .unauthenticated)
        }
    }

    @Test func streamsOfClientsThatGoAwayAreRemoved() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { http, grpc in
            try await http.send(.post, "/api/v1/flags", key: test.admin, json: Self.summary)
            func connectedClients() async throws -> JSONValue? {
                try await http.send(.get, "/api/v1/flags/summary/propagation", key: test.admin).json["connectedClients"]
            }
            try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk)) { first in
                _ = try await first.next()
                try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk)) { second in
                    _ = try await second.next()
                    #expect(try await connectedClients() == 2)
                }
                #expect(try await eventually { try await connectedClients() == 1 }, "the cancelled stream unsubscribed")
            }
            #expect(try await eventually { try await connectedClients() == 0 })
        }
    }

    @Test func gracefulShutdownEndsOpenStreams() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        let (ports, portSource) = AsyncStream<Int>.makeStream()
        let application = test.server.makeApplication(onGRPCListening: { portSource.yield($0) })
        let group = ServiceGroup(services: [application], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portSource.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await withGRPCClient(transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)) {
                grpc in
                try await withSyncStream(grpc, metadata: GRPCTestServer.bearer(test.sdk)) { documents in
                    _ = try #require(try await documents.next())
                    try await withStream({ handle in
                        try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc)
                            .eventStream(Flagd_Evaluation_V1_EventStreamRequest(), metadata: GRPCTestServer.bearer(test.sdk), onResponse: handle)
                    }) { events in
                        let ready = try await events.next()
                        #expect(ready?.type == "provider_ready")
                        await group.triggerGracefulShutdown()
                        let end = try await events.next()
                        #expect(end == nil, "the event stream ended")
                    }
                    #expect(try await documents.next() == nil, "the sync stream ended")
                }
            }
            try await tasks.next()
        }
    }
}

/// One HTTP/2 connection carries many streams: a flagd relay or a process with many providers.
@Suite struct FlagSyncConnectionTests {
    @Test func moreThanAHundredStreamsShareOneConnection() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { _, grpc in
            let streams = 150
            let (arrivals, arrived) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<streams {
                    group.addTask {
                        try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc)
                            .syncFlags(Flagd_Sync_V1_SyncFlagsRequest(), metadata: GRPCTestServer.bearer(test.sdk)) { response in
                                for try await _ in response.messages { arrived.yield() }
                            }
                    }
                }
                let count = try await withTimeLimit(.seconds(30)) {
                    var count = 0
                    for await _ in arrivals {
                        count += 1
                        if count == streams { break }
                    }
                    return count
                }
                #expect(count == streams, "every stream got its document while all were open")
                group.cancelAll()
            }
        }
    }
}
