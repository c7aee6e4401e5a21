import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// Typed request and response bodies: answers are the exact bytes clients have always read
/// (compact, keys sorted, absent members left out, `null` where the API writes it), and a body that
/// does not decode gets a 400 naming what was expected and where.
@Suite struct TypedBodyTests {
    @Test func answersAreTheBytesClientsRead() async throws {
        let test = try await TestServer()
        let production = try await test.store.environments()[0]
        try await test.application().test(.router) { client in
            let environments = try await client.send(.get, "/api/v1/environments", key: test.admin)
            #expect(environments.headers[.contentType] == "application/json")
            #expect(
                String(buffer: environments.body)
                    == #"{"environments":[{"createdAt":"\#(production.createdAt.formatted(.iso8601))","name":"production"}]}"#)

            let missing = try await client.send(.get, "/api/v1/flags/nope", key: test.admin)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body) == #"{"error":{"code":"not_found","message":"flag nope not found"}}"#)

            let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let flag = try #require(try await test.store.flag("summary", in: "production"))
            let at = flag.createdAt.formatted(.iso8601)
            #expect(
                String(buffer: created.body)
                    == #"{"environment":"production","flag":{"createdAt":"\#(at)","definition":{"defaultVariant":"off","safeVariant":"off","#
                    + #""state":"ENABLED","targeting":{"if":[{"==":[{"var":"plan"},"pro"]},"on","off"]},"variants":{"off":false,"on":true}},"#
                    + #""key":"summary","permanent":false,"updatedAt":"\#(at)","version":1},"version":1}"#)

            let rules = try await client.send(.get, "/api/v1/flags/summary/rules", key: test.admin)
            #expect(String(buffer: rules.body) == #"{"control":"off","flag":"summary","lastOutputAt":null,"rules":[],"watchedVariants":["on"]}"#)
        }
    }

    @Test func aBodyThatDoesNotDecodeIsRefusedWithItsPlace() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            func problem(_ uri: String, _ body: JSONValue) async throws -> JSONValue? {
                let answer = try await client.send(.post, uri, key: test.admin, json: body)
                #expect(answer.status == .badRequest, "\(body)")
                return try answer.json["error"]?["problems"]?.arrayValue?.first
            }
            #expect(try await problem("/api/v1/keys", ["name": "x"]) == ["path": "body.kind", "message": "required, a string"])
            #expect(try await problem("/api/v1/keys", ["kind": 1]) == ["path": "body.kind", "message": "must be a string, found integer"])
            #expect(
                try await problem("/api/v1/keys", ["kind": "sdk", "scope": "all"])
                    == ["path": "body.scope", "message": "unknown member; expected environment, kind, name"])
            #expect(try await problem("/api/v1/environments", ["staging"]) == ["path": "body", "message": "must be an object, found array"])
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            #expect(
                try await problem("/api/v1/flags/summary/kill", ["reason": false]) == [
                    "path": "body.reason", "message": "must be a string, found boolean",
                ])

            // A kill needs no body at all.
            let killed = try await client.send(.post, "/api/v1/flags/summary/kill?reason=why", key: test.admin)
            #expect(killed.status == .ok)
            #expect(try killed.json["flag"]?["kill"]?["reason"] == "why")
        }
    }
}
