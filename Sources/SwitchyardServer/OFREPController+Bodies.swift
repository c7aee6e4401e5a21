import Hummingbird
import SwitchyardCore

extension OFREPController {
    /// An evaluation request (spec §5.1): the evaluation context, which may be absent or `null`.
    struct EvaluationRequest: Decodable {
        var context: JSONValue?
    }

    /// One flag's result (spec §5.3 `evaluationSuccess` and `evaluationFailure`), alone or in a
    /// bulk answer. Written with keys sorted, as Switchyard always has.
    struct Evaluation: Codable, ResponseGenerator, Equatable {
        var key: String
        var value: JSONValue?
        var reason: String?
        var variant: String?
        var errorCode: String?
        var errorDetails: String?
        var metadata: [String: JSONValue] = [:]

        /// Answers the members `encode(to:)` writes, built directly rather than through the `Codable`
        /// path (6 % of the server's CPU under `Benchmarks/ofrep-wrk.sh`): this is every single
        /// evaluation's answer, and `OFREPTests` compares its bytes with the encoded ones.
        func response(from request: Request, context: some RequestContext) -> Response {
            .json(jsonValue)
        }

        /// The members `encode(to:)` writes.
        var jsonValue: JSONValue {
            var members: [String: JSONValue] = ["key": .string(key), "metadata": .object(metadata)]
            if let value { members["value"] = value }
            if let reason { members["reason"] = .string(reason) }
            if let variant { members["variant"] = .string(variant) }
            if let errorCode { members["errorCode"] = .string(errorCode) }
            if let errorDetails { members["errorDetails"] = .string(errorDetails) }
            return .object(members)
        }

        /// A failure before any flag was evaluated.
        static func failure(key: String, code: String, _ details: String) -> Evaluation {
            Evaluation(key: key, errorCode: code, errorDetails: details)
        }
    }

    /// The answer of a bulk evaluation (spec §5.3 `bulkEvaluationSuccess`).
    struct BulkEvaluation: Codable, ResponseEncodable {
        var flags: [Evaluation]
        var metadata: [String: JSONValue]
        var eventStreams: [EventStream]
    }

    /// Where a client hears about changes instead of polling (spec `eventStreams`).
    struct EventStream: Codable, Equatable {
        struct Endpoint: Codable, Equatable {
            var requestUri: String
        }

        var type: String
        var endpoint: Endpoint
        var inactivityDelaySec: Int

        /// The OFREP stream of this server.
        static let ofrep = EventStream(type: "sse", endpoint: Endpoint(requestUri: "/ofrep/v1/stream"), inactivityDelaySec: 120)
    }

    /// A bulk evaluation that failed as a whole (spec §5.3 `bulkEvaluationFailure`), and with only
    /// `errorDetails` the general error of any OFREP route.
    struct RequestFailure: Codable, ResponseEncodable, Equatable {
        var errorCode: String?
        var errorDetails: String
    }
}
