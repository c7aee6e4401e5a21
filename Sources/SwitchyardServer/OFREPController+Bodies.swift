import Hummingbird
import SwitchyardCore

extension OFREPController {
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

        /// Answers the bytes `encode(to:)` writes through the key-sorted encoder, written directly
        /// (member names in sorted order) rather than through the `Codable` path (6 % of the
        /// server's CPU under `Benchmarks/ofrep-wrk.sh`) or a dictionary sorted per answer: this is
        /// every single evaluation's answer, and `OFREPTests` compares its bytes with the encoded ones.
        func response(from request: Request, context: some RequestContext) -> Response {
            var text = ""
            text.reserveCapacity(128)
            var separator = "{"
            func add(_ name: String, _ value: JSONValue) {
                text += separator
                text += name
                text += value.serialized()
                separator = ","
            }
            if let errorCode { add(#""errorCode":"#, .string(errorCode)) }
            if let errorDetails { add(#""errorDetails":"#, .string(errorDetails)) }
            add(#""key":"#, .string(key))
            add(#""metadata":"#, .object(metadata))
            if let reason { add(#""reason":"#, .string(reason)) }
            if let value { add(#""value":"#, value) }
            if let variant { add(#""variant":"#, .string(variant)) }
            text += "}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
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
