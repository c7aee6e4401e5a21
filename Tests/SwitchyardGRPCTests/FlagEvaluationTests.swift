import GRPCCore
import SwiftProtobuf
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import SwitchyardGRPC

/// `flagd.evaluation.v1.Service` as flagd's RPC providers use it: the same answers as OFREP.
@Suite struct FlagEvaluationTests {
    /// A gRPC answer: the value, reason and variant, or the status of a failed call.
    enum Answer: Equatable, CustomStringConvertible {
        case resolved(value: JSONValue, reason: String, variant: String, metadata: JSONValue)
        case failed(RPCError.Code)

        var description: String {
            switch self {
            case .resolved(let value, let reason, let variant, let metadata): "\(value) \(reason) \(variant) \(metadata)"
            case .failed(let code): "failed: \(code)"
            }
        }
    }

    @Test(arguments: ["examples/flags.json", "flagd-testbed"])
    func answersEqualOFREPs(_ source: String) async throws {
        let document = source == "flagd-testbed" ? try GRPCTestServer.testbedFlags() : try GRPCTestServer.exampleFlags()
        let test = try await GRPCTestServer(document)
        let keys = try #require(document["flags"]?.objectValue).keys.sorted() + ["no-such-flag"]
        var random = SeededRandom(seed: 14)
        let contexts = (0..<(source == "flagd-testbed" ? 12 : 60)).map { _ in Self.context(&random) }
        try await test.run { http, grpc in
            var compared = 0
            for key in keys {
                for context in contexts {
                    let ofrep = try await http.send(.post, "/ofrep/v1/evaluate/flags/\(key)", key: test.sdk, json: ["context": .object(context)]).json
                    let type = Self.type(of: ofrep["value"] ?? document["flags"]?[key]?["variants"]?.objectValue?.values.first ?? false)
                    let answer = try await Self.resolve(key, as: type, context: context, grpc, metadata: GRPCTestServer.bearer(test.sdk))
                    #expect(answer == Self.expected(ofrep, as: type), "\(key) with \(JSONValue.object(context))")
                    compared += 1
                }
            }
            #expect(compared == keys.count * contexts.count)
        }
    }

    @Test func resolveAllAnswersTheFlagsOFREPBulkDoes() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { http, grpc in
            let context: [String: JSONValue] = ["targetingKey": "u-7", "beta": true]
            let bulk = try await http.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk, json: ["context": .object(context)]).json
            var request = Flagd_Evaluation_V1_ResolveAllRequest()
            request.context = JSONValue.protobufStruct(context)
            let all = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc).resolveAll(request, metadata: GRPCTestServer.bearer(test.sdk))
            let expected = try #require(bulk["flags"]?.arrayValue)
            #expect(all.flags.count == expected.count)
            for flag in expected {
                let key = try #require(flag["key"]?.stringValue)
                let answer = try #require(all.flags[key])
                #expect(answer.reason == flag["reason"]?.stringValue)
                #expect(answer.variant == flag["variant"]?.stringValue ?? "")
                switch answer.value {
                case .boolValue(let value)?: #expect(flag["value"] == .bool(value))
                case .stringValue(let value)?: #expect(flag["value"] == .string(value))
                case .objectValue(let value)?: #expect(Self.normalized(.object(try JSONValue.members(of: value))) == Self.normalized(flag["value"]))
                default: Issue.record("\(key): unexpected value \(String(describing: answer.value))")
                }
            }
            #expect(all.metadata.fields["flagSetId"]?.stringValue == "ai-features")
        }
    }

    @Test func errorsAreTheStatusesFlagdAnswersWith() async throws {
        let test = try await GRPCTestServer([
            "flags": [
                "on": ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "on"],
                "broken": ["state": "ENABLED", "variants": ["a": "a"], "defaultVariant": "a", "targeting": ["invalid": [1]]],
                "ratio": ["state": "ENABLED", "variants": ["half": 0.5], "defaultVariant": "half"],
            ]
        ])
        try await test.run { _, grpc in
            let metadata = GRPCTestServer.bearer(test.sdk)
            let cases: [(String, FlagValueType, Answer)] = [
                ("missing", .boolean, .failed(.notFound)), ("on", .string, .failed(.invalidArgument)),
                ("ratio", .integer, .failed(.invalidArgument)), ("broken", .string, .failed(.dataLoss)),
                ("ratio", .float, .resolved(value: 0.5, reason: "STATIC", variant: "half", metadata: [:])),
            ]
            for (key, type, expected) in cases {
                let answer = try await Self.resolve(key, as: type, context: [:], grpc, metadata: metadata)
                #expect(answer == expected, "\(key) as \(type)")
            }
        }
    }

    @Test func theEventStreamSaysReadyThenNamesTheFlagsEachChangeAltered() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { http, grpc in
            try await withStream({ handle in
                try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc)
                    .eventStream(Flagd_Evaluation_V1_EventStreamRequest(), metadata: GRPCTestServer.bearer(test.sdk), onResponse: handle)
            }) { events in
                #expect(try await events.next()?.type == "provider_ready")
                try await http.send(.post, "/api/v1/flags/ai-document-summary/kill", key: test.admin, json: ["reason": "bad outputs"])
                let change = try #require(try await events.next(within: .seconds(1)))
                #expect(change.type == "configuration_change")
                #expect(change.data.fields["flags"]?.structValue.fields.keys.sorted() == ["ai-document-summary"])
                var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
                request.flagKey = "ai-document-summary"
                request.context = ["email": "dev@acme.com"]
                let killed = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc)
                    .resolveBoolean(request, metadata: GRPCTestServer.bearer(test.sdk))
                #expect(killed.value == false)
                #expect(killed.reason == "DISABLED")
                #expect(killed.metadata.fields["killed"]?.boolValue == true)
            }
        }
    }

    /// A context drawn from the attributes the example and testbed flags read.
    static func context(_ random: inout SeededRandom) -> [String: JSONValue] {
        func pick(_ values: [JSONValue]) -> JSONValue { values[Int(random.next() % UInt64(values.count))] }
        var context: [String: JSONValue] = [:]
        if random.chance(0.9) { context["targetingKey"] = .string("user-\(random.next() % 1_000)") }
        if random.chance(0.7) { context["email"] = pick(["dev@acme.com", "ann@faas.com", "bill@ballmer.com", "x@example.com"]) }
        if random.chance(0.5) { context["beta"] = pick([true, false]) }
        if random.chance(0.5) { context["tier"] = pick(["enterprise", "free", "pro"]) }
        if random.chance(0.5) { context["version"] = pick(["1.0.0", "2.1.0", "3.0.0-alpha", "v1.5", "0.9"]) }
        if random.chance(0.5) { context["color"] = pick(["yellow", "red", "green"]) }
        if random.chance(0.4) { context["id"] = .integer(Int64(random.next() % 100)) }
        if random.chance(0.4) { context["num"] = pick([.integer(3), .double(2.5), .integer(-1)]) }
        if random.chance(0.4) { context["time"] = .integer(Int64(random.next() % 2_000_000_000)) }
        if random.chance(0.4) { context["user"] = ["name": pick(["alice", "bob", "carol"])] }
        if random.chance(0.3) { context["hashing_input"] = .string("seed-\(random.next() % 50)") }
        return context
    }

    /// The typed accessor a flag's value asks for.
    static func type(of value: JSONValue) -> FlagValueType {
        switch value {
        case .string: .string
        case .integer: .integer
        case .double: .float
        case .object: .object
        default: .boolean
        }
    }

    /// The gRPC answer an OFREP result implies.
    static func expected(_ ofrep: JSONValue, as type: FlagValueType) -> Answer {
        if let code = ofrep["errorCode"]?.stringValue {
            switch code {
            case "FLAG_NOT_FOUND": return .failed(.notFound)
            case "PARSE_ERROR": return .failed(.dataLoss)
            default: return .failed(.unknown)
            }
        }
        let zero: JSONValue =
            switch type {
            case .boolean: false
            case .string: ""
            case .integer: 0
            case .float: 0.0
            case .object: [:]
            }
        let value = ofrep["value"].flatMap(type.coerce) ?? zero
        return .resolved(
            value: normalized(value), reason: ofrep["reason"]?.stringValue ?? "", variant: ofrep["variant"]?.stringValue ?? "",
            metadata: normalized(ofrep["metadata"] ?? [:]))
    }

    /// One typed evaluation over gRPC.
    static func resolve(
        _ key: String, as type: FlagValueType, context: [String: JSONValue], _ grpc: GRPCTestClient, metadata: Metadata
    ) async throws -> Answer {
        let client = Flagd_Evaluation_V1_Service.Client(wrapping: grpc)
        let protobufContext = JSONValue.protobufStruct(context)
        func answer(_ value: JSONValue, _ reason: String, _ variant: String, _ metadata: Google_Protobuf_Struct) throws -> Answer {
            .resolved(value: normalized(value), reason: reason, variant: variant, metadata: normalized(.object(try JSONValue.members(of: metadata))))
        }
        do {
            switch type {
            case .boolean:
                var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
                (request.flagKey, request.context) = (key, protobufContext)
                let response = try await client.resolveBoolean(request, metadata: metadata)
                return try answer(.bool(response.value), response.reason, response.variant, response.metadata)
            case .string:
                var request = Flagd_Evaluation_V1_ResolveStringRequest()
                (request.flagKey, request.context) = (key, protobufContext)
                let response = try await client.resolveString(request, metadata: metadata)
                return try answer(.string(response.value), response.reason, response.variant, response.metadata)
            case .integer:
                var request = Flagd_Evaluation_V1_ResolveIntRequest()
                (request.flagKey, request.context) = (key, protobufContext)
                let response = try await client.resolveInt(request, metadata: metadata)
                return try answer(.integer(response.value), response.reason, response.variant, response.metadata)
            case .float:
                var request = Flagd_Evaluation_V1_ResolveFloatRequest()
                (request.flagKey, request.context) = (key, protobufContext)
                let response = try await client.resolveFloat(request, metadata: metadata)
                return try answer(.double(response.value), response.reason, response.variant, response.metadata)
            case .object:
                var request = Flagd_Evaluation_V1_ResolveObjectRequest()
                (request.flagKey, request.context) = (key, protobufContext)
                let response = try await client.resolveObject(request, metadata: metadata)
                return try answer(.object(try JSONValue.members(of: response.value)), response.reason, response.variant, response.metadata)
            }
        } catch let error as RPCError {
            return .failed(error.code)
        }
    }

    /// Numbers compared by value, as protobuf carries them (`2` and `2.0` alike).
    static func normalized(_ value: JSONValue?) -> JSONValue {
        switch value {
        case .integer(let number)?: .double(Double(number))
        case .array(let elements)?: .array(elements.map { normalized($0) })
        case .object(let members)?: .object(members.mapValues { normalized($0) })
        case let other?: other
        case nil: .null
        }
    }
}

/// What comes from outside is bounded before it is used.
@Suite struct FlagdInputLimitTests {
    @Test func aRequestLargerThanTheLimitIsRefused() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { _, grpc in
            var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
            request.flagKey = "ai-document-summary"
            request.context = ["padding": .init(stringValue: String(repeating: "x", count: FlagdGRPCConfiguration.defaultMaximumRequestBytes))]
            let error = await #expect(throws: RPCError.self) {
                _ = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc).resolveBoolean(request, metadata: GRPCTestServer.bearer(test.sdk))
            }
            // The transport resets the stream before the message is read; the client sees the call fail.
            #expect([.resourceExhausted, .unavailable].contains(error?.code), "\(String(describing: error))")
            request.context = ["email": "dev@acme.com"]
            let served = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc).resolveBoolean(
                request, metadata: GRPCTestServer.bearer(test.sdk))
            #expect(served.value, "the server goes on serving")
        }
    }

    @Test func aContextNestedTooDeeplyIsRefused() async throws {
        let test = try await GRPCTestServer(try GRPCTestServer.exampleFlags())
        try await test.run { _, grpc in
            var nested = Google_Protobuf_Value(stringValue: "deep")
            for _ in 0..<200 { nested = Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: [nested])) }
            var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
            request.flagKey = "ai-document-summary"
            request.context = ["nested": nested]
            let error = await #expect(throws: RPCError.self) {
                _ = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc).resolveBoolean(request, metadata: GRPCTestServer.bearer(test.sdk))
            }
            #expect(error?.code == .invalidArgument, "\(String(describing: error))")
        }
    }
}
