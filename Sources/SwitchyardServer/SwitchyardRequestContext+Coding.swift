import Hummingbird
import SwitchyardCore

extension SwitchyardRequestContext {
    /// Typed request bodies (`request.decode(as:context:)`) are read by the flag parser.
    package var requestDecoder: SwitchyardRequestDecoder { SwitchyardRequestDecoder() }
    /// Typed responses (`ResponseEncodable`) are written as compact, key-sorted JSON.
    package var responseEncoder: SwitchyardResponseEncoder { SwitchyardResponseEncoder() }
}

/// Reads a typed request body with the parser flag documents go through (numbers kept apart,
/// repeated members refused, nesting bounded) and ``JSONValueDecoder``. Members the type does not
/// read are refused; every refusal is a 400 naming what was expected and where (`body.kind`).
package struct SwitchyardRequestDecoder: RequestDecoder {
    package func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let body = try await request.json(context: context, allowEmpty: type is any EmptyBodyAllowed.Type)
        do {
            return try JSONValueDecoder(rejectingUnknownMembers: true).decode(type, from: body)
        } catch let error as DecodingError {
            throw APIError(error, in: "body")
        }
    }
}

/// Writes a typed response through ``JSONValueEncoder`` as ``JSONValue/serialized(pretty:)`` writes
/// it, so a typed answer reads byte for byte as the same answer built by hand.
package struct SwitchyardResponseEncoder: ResponseEncoder {
    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        .json(try JSONValueEncoder().encode(value))
    }
}

/// A request body type whose members are all optional, so that no body at all reads as `{}`.
protocol EmptyBodyAllowed {}
