import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardTestSupport
import Testing

@Suite struct OFREPSelectorTests {
    static let selector = HTTPField.Name("Flagd-Selector")!

    /// A document whose flags belong to `web` (the document's set), `payments` (the flag's own) and,
    /// in the second environment's copy without a document-level set, to none.
    static func document(flagSetId: String?) -> JSONValue {
        let flag: JSONValue = ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "on"]
        var metadata: [String: JSONValue] = ["version": "v7"]
        if let flagSetId { metadata["flagSetId"] = .string(flagSetId) }
        return [
            "metadata": .object(metadata),
            "flags": [
                "banner": flag,
                "checkout": [
                    "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "metadata": ["flagSetId": "payments"],
                ],
            ],
        ]
    }

    @Test func aFlagOutsideTheSelectedSetIsNotFound() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/import", key: test.admin, json: Self.document(flagSetId: "web")).status == .ok)

            let inherited = try await client.send(.post, "/ofrep/v1/evaluate/flags/banner", key: test.sdk, headers: [Self.selector: "flagSetId=web"])
            #expect(inherited.status == .ok)
            #expect(
                try inherited.json == [
                    "key": "banner", "value": true, "variant": "on", "reason": "STATIC", "metadata": ["flagSetId": "web", "version": "v7"],
                ])

            let own = try await client.send(.post, "/ofrep/v1/evaluate/flags/checkout", key: test.sdk, headers: [Self.selector: "flagSetId=payments"])
            #expect(own.status == .ok)
            #expect(try own.json["metadata"] == ["flagSetId": "payments", "version": "v7"])

            let outside = try await client.send(.post, "/ofrep/v1/evaluate/flags/checkout", key: test.sdk, headers: [Self.selector: "flagSetId=web"])
            #expect(outside.status == .notFound)
            #expect(try outside.json["errorCode"] == "FLAG_NOT_FOUND")
            #expect(try outside.json["metadata"]?["flagSetId"] == "web")

            let unselected = try await client.send(.post, "/ofrep/v1/evaluate/flags/checkout", key: test.sdk)
            #expect(unselected.status == .ok)
        }
    }

    @Test func bulkAnswersOnlyTheSelectedSet() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/import", key: test.admin, json: Self.document(flagSetId: "web"))

            let payments = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId=payments"])
            #expect(payments.status == .ok)
            #expect(try payments.json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["checkout"])
            // The selection is reflected over the document's own flag set id.
            #expect(try payments.json["metadata"] == ["flagSetId": "payments", "version": "v7"])

            let web = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: " flagSetId=web "])
            #expect(try web.json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["banner"])

            let unknown = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId=nobody"])
            #expect(try unknown.json["flags"] == [])

            let all = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk)
            #expect(try all.json["flags"]?.arrayValue?.count == 2)
        }
    }

    @Test func anEmptyFlagSetIdSelectsFlagsWithoutASet() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/import", key: test.admin, json: Self.document(flagSetId: nil))
            let unset = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId="])
            #expect(try unset.json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["banner"])
            #expect(try unset.json["metadata"]?["flagSetId"] == "")
            let single = try await client.send(.post, "/ofrep/v1/evaluate/flags/checkout", key: test.sdk, headers: [Self.selector: "flagSetId="])
            #expect(single.status == .notFound)
        }
    }

    @Test func theBulkETagDependsOnTheSelector() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/import", key: test.admin, json: Self.document(flagSetId: "web"))
            let web = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId=web"])
            let etag = try #require(web.headers[.eTag])

            let again = try await client.send(
                .post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId=web", .ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let payments = try await client.send(
                .post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: "flagSetId=payments", .ifNoneMatch: etag])
            #expect(payments.status == .ok)
            #expect(payments.headers[.eTag] != etag)
            let unselected = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [.ifNoneMatch: etag])
            #expect(unselected.status == .ok)
        }
    }

    @Test(arguments: [
        ("source=flags.json", "\"flags.json\" selects a flag source"),
        ("flags.json", "\"flags.json\" selects a flag source"),
        ("team=web", "unknown key \"team\""),
        ("flagSetId=web,source=x", "only one key=value pair"),
    ])
    func anInvalidSelectorIs400NamingTheProblem(selector: String, problem: String) async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let single = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, headers: [Self.selector: selector])
            #expect(single.status == .badRequest)
            #expect(try single.json["key"] == "summary")
            #expect(try single.json["errorCode"] == "GENERAL")
            let details = try #require(try single.json["errorDetails"]?.stringValue)
            #expect(details.hasPrefix("invalid selector: "))
            #expect(details.contains(problem))

            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, headers: [Self.selector: selector])
            #expect(bulk.status == .badRequest)
            #expect(try bulk.json == ["errorCode": "GENERAL", "errorDetails": .string(details)])
        }
    }
}
