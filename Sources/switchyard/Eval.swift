#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ArgumentParser
import SwitchyardCore

/// `switchyard eval`: evaluates a stream of requests against a flag file, one JSON line in, one out.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate flags from a flagd file for requests given as JSON lines.",
        discussion: """
            Each input line is {"flag": KEY, "type": "boolean|string|integer|float|object|any", \
            "default": VALUE, "context": {...}}; a missing type means "any", which skips the type \
            check. Each output line is {"value", "variant", "reason", "errorCode", "errorMessage", \
            "metadata"}. Every input line gets exactly one output line; errors are reported in it and \
            the run goes on.
            """
    )

    @Option(help: "The flag-definition file (flagd JSON).")
    var flags: String

    @Option(help: "Requests as JSON lines (standard input when omitted).")
    var requests: String?

    @Option(help: "Fractional hashing generation, overriding the document's: v2 or v3.")
    var fractional: FractionalHashing?

    func run() throws {
        let document: FlagDocument
        do {
            document = try FlagDocument(bytes: try readFile(flags), options: LoadOptions(fractionalHashing: fractional))
        } catch let error as FlagDocumentError {
            for problem in error.problems { printError("\(flags): error: \(problem)") }
            throw ExitCode.failure
        }
        let input = try LineReader(path: requests)
        var output = OutputBuffer()
        while let line = input.next() {
            output.append(EvaluationRequest(line: line).evaluate(in: document).jsonLine)
        }
        output.flush()
    }
}

extension FractionalHashing: ExpressibleByArgument {}

/// One request line, read as leniently as the format allows.
struct EvaluationRequest {
    enum Parsed {
        case valid(flag: String, type: FlagValueType?, defaultValue: JSONValue, context: JSONValue?)
        case invalid(String)
        case invalidType(String, defaultValue: JSONValue)
    }

    let parsed: Parsed

    init(line: [UInt8]) {
        guard let json = try? JSONValue(parsing: line), case .object(let request) = json else {
            parsed = .invalid("request is not a JSON object")
            return
        }
        guard case .string(let flag)? = request["flag"] else {
            parsed = .invalid("request needs \"flag\" as a string")
            return
        }
        let defaultValue = request["default"] ?? .null
        let type: FlagValueType?
        switch request["type"] {
        case nil, .string("any")?:
            type = nil
        case .string(let name)? where FlagValueType(rawValue: name) != nil:
            type = FlagValueType(rawValue: name)
        case let other?:
            parsed = .invalidType("unknown type \(other); expected boolean, string, integer, float, object or any", defaultValue: defaultValue)
            return
        }
        let context = request["context"].flatMap { $0.isNull ? nil : $0 }
        parsed = .valid(flag: flag, type: type, defaultValue: defaultValue, context: context)
    }

    func evaluate(in document: FlagDocument) -> Resolution {
        switch parsed {
        case .invalid(let message):
            return .failure(.general, message)
        case .invalidType(let message, let defaultValue):
            var failure = Resolution.failure(.general, message)
            failure.value = defaultValue
            return failure
        case .valid(let flag, let type, let defaultValue, let context):
            guard context == nil || context?.objectValue != nil else {
                var failure = Resolution.failure(.invalidContext, "\"context\" must be an object, found \(context!.typeName)")
                failure.value = defaultValue
                return failure
            }
            let evaluationContext = EvaluationContext(attributes: context?.objectValue ?? [:])
            guard let type else {
                var resolution = document.resolve(flag, context: evaluationContext)
                resolution.value = resolution.value ?? defaultValue
                return resolution
            }
            return document.resolve(flag, as: type, default: defaultValue, context: evaluationContext)
        }
    }
}

extension Resolution {
    /// The output line: `value`, `variant`, `reason`, `errorCode`, `errorMessage`, `metadata`, in that order.
    var jsonLine: String {
        let fields: [(String, JSONValue)] = [
            ("value", value ?? .null),
            ("variant", variant.map(JSONValue.string) ?? .null),
            ("reason", .string(reason.rawValue)),
            ("errorCode", errorCode.map { .string($0.rawValue) } ?? .null),
            ("errorMessage", errorMessage.map(JSONValue.string) ?? .null),
            ("metadata", .object(metadata)),
        ]
        return "{" + fields.map { "\(JSONValue.string($0.0).serialized()):\($0.1.serialized())" }.joined(separator: ",") + "}"
    }
}

/// Buffers standard output and writes it in large chunks.
struct OutputBuffer {
    private var pending: [UInt8] = []

    mutating func append(_ line: String) {
        pending.append(contentsOf: line.utf8)
        pending.append(0x0A)
        if pending.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < pending.count {
            let written = pending[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
        pending.removeAll(keepingCapacity: true)
    }
}
