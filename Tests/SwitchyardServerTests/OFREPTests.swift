import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct OFREPTests {
    @Test func evaluatesOneFlagAsSpecSection53Says() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "ratio", "state": "ENABLED", "variants": ["a": 2.0], "defaultVariant": "a"])
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "no default", "state": "ENABLED", "variants": ["a": 1]])

            let match = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(match.status == .ok)
            #expect(try match.json == ["key": "summary", "value": true, "variant": "on", "reason": "TARGETING_MATCH", "metadata": [:]])

            let ratio = try await client.send(.post, "/ofrep/v1/evaluate/flags/ratio", key: test.sdk, json: ["context": [:]])
            #expect(String(buffer: ratio.body).contains("\"value\":2.0"))

            let codeDefault = try await client.send(.post, "/ofrep/v1/evaluate/flags/no%20default", key: test.sdk)
            #expect(try codeDefault.json == ["key": "no default", "reason": "DEFAULT", "metadata": [:]])

            let missing = try await client.send(.post, "/ofrep/v1/evaluate/flags/missing", key: test.sdk, json: ["context": [:]])
            #expect(missing.status == .notFound)
            #expect(try missing.json["errorCode"] == "FLAG_NOT_FOUND")
            #expect(try missing.json["errorDetails"] == "flag `missing` does not exist")

            let badJSON = try await client.execute(
                uri: "/ofrep/v1/evaluate/flags/summary", method: .post, headers: [.authorization: "Bearer \(test.sdk)"],
                body: ByteBuffer(string: "{not json"))
            #expect(badJSON.status == .badRequest)
            #expect(try badJSON.json["errorCode"] == "INVALID_CONTEXT")

            let wrongMethod = try await client.send(.get, "/ofrep/v1/evaluate/flags/summary", key: test.sdk)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")

            let badKey = try await client.send(.post, "/ofrep/v1/evaluate/flags/%FF", key: test.sdk)
            #expect(badKey.status == .badRequest)
            #expect(try badKey.json["errorCode"] == "GENERAL")
        }
    }

    /// Clients parse these bytes (numbers keep their kind, members come sorted): the typed bodies
    /// must write exactly what the hand-built JSON did.
    @Test func answersKeepTheirBytes() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "ratio", "state": "ENABLED", "variants": ["a": 2.0], "defaultVariant": "a"])
            let match = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(String(buffer: match.body) == #"{"key":"summary","metadata":{},"reason":"TARGETING_MATCH","value":true,"variant":"on"}"#)
            #expect(match.headers[.contentType] == "application/json")
            let ratio = try await client.send(.post, "/ofrep/v1/evaluate/flags/ratio", key: test.sdk)
            #expect(String(buffer: ratio.body) == #"{"key":"ratio","metadata":{},"reason":"STATIC","value":2.0,"variant":"a"}"#)
            let missing = try await client.send(.post, "/ofrep/v1/evaluate/flags/missing", key: test.sdk)
            #expect(
                String(buffer: missing.body)
                    == #"{"errorCode":"FLAG_NOT_FOUND","errorDetails":"flag `missing` does not exist","key":"missing","metadata":{}}"#)
            let badContext = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": 1])
            #expect(
                String(buffer: badContext.body)
                    == #"{"errorCode":"INVALID_CONTEXT","errorDetails":"Provider context is not valid","key":"summary","metadata":{}}"#)
            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(
                String(buffer: bulk.body)
                    == #"{"eventStreams":[{"endpoint":{"requestUri":"/ofrep/v1/stream"},"inactivityDelaySec":120,"type":"sse"}],"#
                    + #""flags":[{"key":"ratio","metadata":{},"reason":"STATIC","value":2.0,"variant":"a"},"#
                    + #"{"key":"summary","metadata":{},"reason":"TARGETING_MATCH","value":true,"variant":"on"}],"metadata":{}}"#)
            let badBulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": "x"])
            #expect(String(buffer: badBulk.body) == #"{"errorCode":"INVALID_CONTEXT","errorDetails":"Provider context is not valid"}"#)
            let wrongMethod = try await client.send(.put, "/ofrep/v1/evaluate/flags", key: test.sdk)
            #expect(String(buffer: wrongMethod.body) == #"{"errorDetails":"only POST evaluates"}"#)
        }
    }

    @Test func aDisabledFlagHasNoValue() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            try await client.send(.post, "/api/v1/flags/summary/disable", key: test.admin)
            let disabled = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk)
            #expect(try disabled.json == ["key": "summary", "reason": "DISABLED", "metadata": [:]])
        }
    }

    @Test func bulkEvaluationAnswers304UntilSomethingChanges() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let context: JSONValue = ["context": ["targetingKey": "u1", "plan": "pro"]]
            let first = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: context)
            #expect(first.status == .ok)
            #expect(try first.json["flags"] == [["key": "summary", "value": true, "variant": "on", "reason": "TARGETING_MATCH", "metadata": [:]]])
            let etag = try #require(first.headers[.eTag])

            let unchanged = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: context, headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.body.readableBytes == 0)

            let otherContext = try await client.send(
                .post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": ["targetingKey": "u2"]], headers: [.ifNoneMatch: etag])
            #expect(otherContext.status == .ok)

            try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "bad answers"])
            let changed = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: context, headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != etag)
            let killed = try #require(try changed.json["flags"]?.arrayValue?.first)
            #expect(killed["value"] == false && killed["variant"] == "off")
            #expect(killed["reason"] == "DISABLED", "a kill is told apart from a flag that is off by design")
            #expect(killed["metadata"]?["killed"] == true)
            #expect(killed["metadata"]?["killReason"] == "bad answers")
            #expect(killed["metadata"]?["killedAt"]?.stringValue?.hasSuffix("Z") == true)
        }
    }

    @Test func browsersMayCallWithTheirKeysInHeaders() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let preflight = try await client.execute(
                uri: "/ofrep/v1/evaluate/flags", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowHeaders]?.lowercased().contains("x-api-key") == true)

            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [.origin: "https://app.example"])
            #expect(bulk.status == .ok)
            #expect(bulk.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test func anOversizedBodyGets413() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let big = ByteBuffer(string: "{\"context\":{\"x\":\"" + String(repeating: "a", count: 2 << 20) + "\"}}")
            let response = try await client.execute(
                uri: "/ofrep/v1/evaluate/flags/summary", method: .post, headers: [.authorization: "Bearer \(test.sdk)"], body: big)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json == ["errorDetails": "request body too large"])
        }
    }

    @Test func theBodyLimitIsConfigured() async throws {
        let test = try await TestServer(maximumBodyBytes: 64)
        try await test.application().test(.router) { client in
            let small = ByteBuffer(string: #"{"context": {"plan": "pro"}}"#)
            let fits = try await client.execute(
                uri: "/ofrep/v1/evaluate/flags/summary", method: .post, headers: [.authorization: "Bearer \(test.sdk)"], body: small)
            #expect(fits.status != .contentTooLarge)
            let large = ByteBuffer(string: "{\"context\":{\"x\":\"" + String(repeating: "a", count: 100) + "\"}}")
            let tooLarge = try await client.execute(
                uri: "/ofrep/v1/evaluate/flags/summary", method: .post, headers: [.authorization: "Bearer \(test.sdk)"], body: large)
            #expect(tooLarge.status == .contentTooLarge)
            let admin = try await client.execute(
                uri: "/api/v1/flags", method: .post, headers: [.authorization: "Bearer \(test.admin)"], body: large)
            #expect(admin.status == .contentTooLarge)
        }
    }
}

@Suite struct OFREPBudgetTests {
    static let hundred = JSONValue.array((0..<100).map { .integer(Int64($0)) })

    /// A flag whose targeting doubles a string once per element of `source`.
    static func doubling(_ key: String, over source: JSONValue) -> JSONValue {
        let doubling: JSONValue = ["reduce": [source, ["cat": [["var": "accumulator"], ["var": "accumulator"]]], "x"]]
        return [
            "key": .string(key), "state": "ENABLED", "variants": ["a": "a", "b": "b"], "defaultVariant": "a",
            "targeting": ["if": [doubling, "b", "a"]],
        ]
    }

    @Test func anEvaluationOverBudgetIsAGeneralErrorLoggedOncePerFlag() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: Self.doubling("costly", over: ["var": "items"]))
            #expect(created.status == .created)
            for _ in 0..<3 {
                let answer = try await client.send(
                    .post, "/ofrep/v1/evaluate/flags/costly", key: test.sdk, json: ["context": ["items": Self.hundred]])
                #expect(answer.status == .badRequest)
                #expect(try answer.json["errorCode"] == "GENERAL")
                #expect(try answer.json["errorDetails"]?.stringValue?.contains("exceeded the evaluation budget") == true)
            }
            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": ["items": Self.hundred]])
            #expect(bulk.status == .ok)
            let cheap = try await client.send(.post, "/ofrep/v1/evaluate/flags/costly", key: test.sdk, json: ["context": ["items": [1, 2]]])
            #expect(try cheap.json["variant"] == "b")
        }
        let lines = test.logs.text.split(separator: "\n").filter { $0.contains("evaluation budget exceeded") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("costly") == true)
    }

    @Test func aFlagOverBudgetOnAnEmptyContextIsRefused() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let refused = try await client.send(.post, "/api/v1/flags", key: test.admin, json: Self.doubling("costly", over: Self.hundred))
            #expect(refused.status == .badRequest)
            #expect(
                try refused.json["error"]?["problems"]?.arrayValue?.first == [
                    "path": "flags.costly.targeting",
                    "message": #"targeting of flag "costly" failed: exceeded the evaluation budget of 1048576 bytes on an empty context"#,
                ])
            guard case .object(var flag) = Self.doubling("costly", over: Self.hundred) else { return }
            flag["key"] = nil
            let imported = try await client.send(.post, "/api/v1/import", key: test.admin, json: ["flags": ["costly": .object(flag)]])
            #expect(imported.status == .badRequest)
            #expect(try imported.json["error"]?["problems"]?.arrayValue?.first?["path"] == "flags.costly.targeting")
        }
    }
}
