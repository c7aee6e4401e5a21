import Foundation
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct InputValidationTests {
    @Test(arguments: [
        ".", "..", "a\u{202E}b", "zero\u{200B}width", "tab\tkey", "p\u{0430}yments", "caf\u{0065}\u{0301}", "a/b", " lead", "trail ", "-dash",
        String(repeating: "k", count: 257),
    ])
    func aFlagKeyOutsideTheDocumentedSetIsRefused(key: String) async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let answer = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation(key))
            #expect(answer.status == .badRequest)
            #expect(try answer.json["error"]?["problems"]?.arrayValue?.first?["path"] == "key")
            let segment = try await client.send(
                .put, "/api/v1/segments/\(AdminPath.segment(key))", key: test.admin, json: ["==": [["var": "plan"], "pro"]])
            #expect(segment.status == .badRequest || segment.status == .notFound)
        }
    }

    @Test func keysInTheDocumentedSetAreAccepted() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            for key in ["ai-summary", "no default", "team.ai:v2", "a_b@c+d~e", String(repeating: "k", count: 256)] {
                let answer = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation(key))
                #expect(answer.status == .created, "\(key)")
            }
        }
    }

    @Test func segmentsAreValidatedLikeTargeting() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let cases: [(JSONValue, String)] = [
                (["nope": [1]], #"unknown operator "nope""#),
                (["$ref": "missing"], #"a segment refers to "missing""#),
                (["$ref": "loop"], "a segment refers to itself"),
                (["and": [["==": [1, 1]], ["$ref": "pro"]]], #"a segment refers to "pro""#),
            ]
            #expect(try await client.send(.put, "/api/v1/segments/pro", key: test.admin, json: ["==": [["var": "plan"], "pro"]]).status == .created)
            for (rule, message) in cases {
                let answer = try await client.send(.put, "/api/v1/segments/loop", key: test.admin, json: rule)
                #expect(answer.status == .badRequest)
                #expect(try answer.json["error"]?["problems"]?.arrayValue?.first?["message"]?.stringValue?.contains(message) == true, "\(rule)")
            }
            let imported = try await client.send(
                .post, "/api/v1/import", key: test.admin,
                json: ["flags": [:], "$evaluators": ["a": ["$ref": "b"], "b": ["$ref": "a"]]])
            #expect(imported.status == .badRequest)
            let names = try await client.send(.get, "/api/v1/segments", key: test.admin).json["segments"]?.arrayValue?.compactMap {
                $0["name"]?.stringValue
            }
            #expect(names == ["pro"])
        }
    }

    @Test func sizesBeyondTheLimitsAreRefusedNamingThem() async throws {
        let test = try await TestServer(maximumBodyBytes: 4 << 20)
        try await test.application().test(.router) { client in
            var variants: [String: JSONValue] = [:]
            for index in 0...100 { variants["v\(index)"] = .integer(Int64(index)) }
            let many = try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "many", "state": "ENABLED", "variants": .object(variants), "defaultVariant": "v0"])
            #expect(many.status == .badRequest)
            #expect(
                try many.json["error"]?["problems"]?.arrayValue?.first == [
                    "path": "flags.many.variants", "message": "101 variants; a flag has at most 100",
                ])

            let emails = JSONValue.array((0...10_000).map { .string("user\($0)@example.com") })
            let long = try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: TestServer.creation(
                    "long",
                    [
                        "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
                        "targeting": ["if": [["in": [["var": "email"], emails]], "on", "off"]],
                    ]))
            #expect(long.status == .badRequest)
            #expect(
                try long.json["error"]?["problems"]?.arrayValue?.first == [
                    "path": "flags.long.targeting.if[0].in[1]", "message": "an array of 10001 elements; at most 10000 are allowed",
                ])

            let text = JSONValue.string(String(repeating: "x", count: 65_537))
            let big = try await client.send(.put, "/api/v1/segments/big", key: test.admin, json: ["==": [["var": "plan"], text]])
            #expect(big.status == .badRequest)
            #expect(try big.json["error"]?["problems"]?.arrayValue?.first?["message"] == "a string of 65537 bytes; at most 65536 are allowed")
        }
    }

    @Test func duplicateMembersAndHugeIntegersAreRefusedWithThePath() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let duplicate = try await client.execute(
                uri: "/api/v1/flags", method: .post, headers: [.authorization: "Bearer \(test.admin)"],
                body: ByteBuffer(string: #"{"key": "f", "state": "ENABLED", "variants": {"on": true, "on": false}, "defaultVariant": "on"}"#))
            #expect(duplicate.status == .badRequest)
            #expect(String(buffer: duplicate.body).contains("variants.on"))
            let huge = try await client.execute(
                uri: "/api/v1/flags", method: .post, headers: [.authorization: "Bearer \(test.admin)"],
                body: ByteBuffer(
                    string: #"{"key": "f", "state": "ENABLED", "variants": {"on": 123456789012345678901234567890}, "defaultVariant": "on"}"#))
            #expect(huge.status == .badRequest)
            #expect(String(buffer: huge.body).contains("variants.on"))
            #expect(try await client.send(.get, "/api/v1/flags/f", key: test.admin).status == .notFound)
        }
    }

    @Test func ofrepRefusesAContextThatIsNotAnObject() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            for context: JSONValue in ["pro", 1, ["plan", "pro"], true] {
                let one = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": context])
                #expect(one.status == .badRequest)
                #expect(try one.json["errorCode"] == "INVALID_CONTEXT")
                let all = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": context])
                #expect(all.status == .badRequest)
                #expect(try all.json["errorCode"] == "INVALID_CONTEXT")
            }
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": .null]).status == .ok)
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: [:]).status == .ok)
        }
    }
}

/// Percent-encodes a path segment the way a client would.
enum AdminPath {
    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
