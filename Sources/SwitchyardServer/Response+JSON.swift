import HTTPTypes
import Hummingbird
import NIOCore
import SwitchyardCore

extension Response {
    /// A JSON response with compact, key-sorted output.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }
}

extension Request {
    /// The body as JSON, with a 4xx naming the problem when it is too large or not JSON.
    func json(context: some RequestContext, allowEmpty: Bool = false) async throws -> JSONValue {
        let bytes = try await bodyBytes(context: context)
        if bytes.isEmpty, allowEmpty { return .object([:]) }
        do {
            return try JSONValue(parsing: bytes)
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

    /// The API key sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`.
    var apiKeySecret: String? {
        if let authorization = headers[.authorization] {
            let prefix = "bearer "
            if authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix {
                return String(authorization.dropFirst(prefix.count).trimmingSpaces)
            }
        }
        return headers[.xAPIKey].map { String(Substring($0).trimmingSpaces) }
    }
}

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("X-API-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let switchyardClient = HTTPField.Name("X-Switchyard-Client")!
}

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingSpaces: Substring {
        var trimmed = self
        while trimmed.utf8.first == 0x20 { trimmed = trimmed.dropFirst() }
        while trimmed.utf8.last == 0x20 { trimmed = trimmed.dropLast() }
        return trimmed
    }
}

extension String {
    /// Decodes `%XX` escapes; `nil` when an escape is malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
