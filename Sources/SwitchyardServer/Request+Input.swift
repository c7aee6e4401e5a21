import HTTPTypes
import Hummingbird
import NIOCore
import SwitchyardCore

extension Request {
    /// The body as JSON: the one reader of every JSON request body, so the rules every body follows
    /// are kept here — at most the context's `maxUploadSize` bytes (413 beyond), nesting at most
    /// ``JSONValue/maximumNestingDepth`` deep, numbers keeping their kind — and a 400 naming the
    /// problem when the body is not JSON. The options are where readers differ:
    /// - Parameters:
    ///   - allowEmpty: an empty body, or one of only whitespace, reads as `{}` instead of failing.
    ///   - allowingDuplicateMembers: a repeated member name is read as flagd reads it (the last
    ///     occurrence wins) instead of failing; for evaluation contexts, which are never stored.
    func json(context: some RequestContext, allowEmpty: Bool = false, allowingDuplicateMembers: Bool = false) async throws -> JSONValue {
        let bytes = try await bodyBytes(context: context)
        if allowEmpty, bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([:]) }
        do {
            return try JSONValue(parsing: bytes, allowingDuplicateMembers: allowingDuplicateMembers)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.description)", path: "body")
        }
    }

    /// The raw body, or 413 when it exceeds the context's limit.
    func bodyBytes(context: some RequestContext) async throws -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: context.maxUploadSize)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "too_large", "the body is larger than \(context.maxUploadSize) bytes")
        }
    }

    /// A path parameter, percent-decoded; 400 when it is not valid UTF-8.
    func pathParameter(_ name: String, context: some RequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.percentDecoded() else {
            throw APIError.badRequest("\(name) is not valid percent-encoded UTF-8", path: name)
        }
        return decoded
    }

    /// The API key sent as `Authorization: Bearer KEY` (the scheme in any case, compared byte by
    /// byte without lowercasing a copy) or `X-API-Key: KEY`.
    var apiKeySecret: String? {
        if let authorization = headers[.authorization] {
            let scheme = "bearer ".utf8
            let bytes = authorization.utf8
            if bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 == $1 || $0 == $1 &- 0x20 && $1 >= UInt8(ascii: "a") }) {
                return String(Substring(bytes.dropFirst(scheme.count)).trimmingSpaces)
            }
        }
        return headers[.xAPIKey].map { String(Substring($0).trimmingSpaces) }
    }
}
