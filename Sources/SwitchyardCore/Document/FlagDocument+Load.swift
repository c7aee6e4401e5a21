extension FlagDocument {
    /// Parses and loads flagd JSON text.
    public init(text: String, options: LoadOptions = LoadOptions()) throws(FlagDocumentError) {
        try self.init(bytes: Array(text.utf8), options: options)
    }

    /// Parses and loads flagd JSON from UTF-8 bytes.
    public init(bytes: [UInt8], options: LoadOptions = LoadOptions()) throws(FlagDocumentError) {
        guard bytes.count <= options.maximumDocumentBytes else {
            throw FlagDocumentError(problems: [
                DocumentProblem(path: "", message: "document is \(bytes.count) bytes, more than the limit of \(options.maximumDocumentBytes)")
            ])
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw FlagDocumentError(problems: [DocumentProblem(path: "", message: error.description)])
        }
        try self.init(json: json, options: options)
    }

    /// Validates a parsed document and compiles its targeting.
    public init(json: JSONValue, options: LoadOptions = LoadOptions()) throws(FlagDocumentError) {
        var loader = DocumentLoader(strictness: options.strictness, budget: options.evaluationBudget)
        let document = loader.load(json, hashingOverride: options.fractionalHashing)
        if !loader.errors.isEmpty || document == nil { throw FlagDocumentError(problems: loader.errors) }
        self = document!
    }
}

/// Collects every problem of a document in one pass, so a user sees them all at once.
private struct DocumentLoader {
    let strictness: LoadOptions.Strictness
    let budget: EvaluationBudget
    var errors: [DocumentProblem] = []
    var warnings: [DocumentProblem] = []

    init(strictness: LoadOptions.Strictness, budget: EvaluationBudget) {
        self.strictness = strictness
        self.budget = budget
    }

    /// flagd's members, `key` (array form) and Switchyard's own `safeVariant`.
    static let flagMembers = FlagDocument.flagdFlagMembers.union(["key", "safeVariant"])

    mutating func error(_ path: String, _ message: String) {
        errors.append(DocumentProblem(path: path, message: message))
    }

    /// A problem flagd tolerates: a warning when loading as flagd does, an error when authoring.
    mutating func tolerated(_ path: String, _ message: String) {
        let problem = DocumentProblem(path: path, message: message)
        if strictness == .flagd { warnings.append(problem) } else { errors.append(problem) }
    }

    mutating func load(_ json: JSONValue, hashingOverride: FractionalHashing?) -> FlagDocument? {
        guard case .object(let root) = json else {
            error("", "a flag document must be a JSON object, found \(json.typeName)")
            return nil
        }
        var hashing = FractionalHashing.v3
        if let value = root[FlagDocument.fractionalHashingKey] {
            if let text = value.stringValue, let parsed = FractionalHashing(rawValue: text) {
                hashing = parsed
            } else {
                error(FlagDocument.fractionalHashingKey, "must be \"v2\" or \"v3\", found \(value)")
            }
        }
        hashing = hashingOverride ?? hashing
        let metadata = loadMetadata(root["metadata"], path: "metadata")
        let evaluators = loadEvaluators(root["$evaluators"])
        let definitions = flagDefinitions(root["flags"])
        var flags: [String: Flag] = [:]
        for (key, definition) in definitions {
            if let flag = loadFlag(key: key, definition, setMetadata: metadata, evaluators: evaluators, hashing: hashing) {
                flags[key] = flag
            }
        }
        return FlagDocument(
            flags: flags, metadata: metadata, evaluators: evaluators,
            fractionalHashing: hashing, warnings: warnings)
    }

    /// The flags as (key, definition) pairs from the map or the array form.
    mutating func flagDefinitions(_ value: JSONValue?) -> [(String, JSONValue)] {
        switch value {
        case .object(let members)?:
            return members.sorted { $0.key < $1.key }.compactMap { key, definition in
                if key.isEmpty {
                    error("flags", "a flag key must not be empty")
                    return nil
                }
                return (key, definition)
            }
        case .array(let elements)?:
            var seen: Set<String> = []
            return elements.enumerated().compactMap { index, definition in
                guard case .string(let key)? = definition["key"], !key.isEmpty else {
                    error("flags[\(index)]", "a flag in the array form needs a non-empty string \"key\"")
                    return nil
                }
                guard seen.insert(key).inserted else {
                    error("flags[\(index)]", "flag key \"\(key)\" appears more than once")
                    return nil
                }
                return (key, definition)
            }
        case nil:
            error("flags", "missing; a flag document needs a \"flags\" object")
            return []
        case let other?:
            error("flags", "must be an object of flags (or an array of flags with keys), found \(other.typeName)")
            return []
        }
    }

    mutating func loadEvaluators(_ value: JSONValue?) -> [String: JSONValue] {
        guard let value else { return [:] }
        guard case .object(let members) = value else {
            error("$evaluators", "must be an object of named rules, found \(value.typeName)")
            return [:]
        }
        for (name, rule) in members.sorted(by: { $0.key < $1.key }) {
            guard rule != .object([:]) else {
                error("$evaluators.\(name)", "evaluator is empty")
                continue
            }
            var compiler = RuleCompiler(flagKey: "", hashing: .v3, evaluatorName: name)
            _ = compiler.compile(rule, path: "$evaluators.\(name)")
            for problem in compiler.problems { tolerated(problem.path, problem.message) }
        }
        return members
    }

    mutating func loadMetadata(_ value: JSONValue?, path: String) -> [String: JSONValue] {
        guard let value, !value.isNull else { return [:] }
        guard case .object(let members) = value else {
            error(path, "must be an object, found \(value.typeName)")
            return [:]
        }
        var kept: [String: JSONValue] = [:]
        for (key, entry) in members.sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .string, .integer, .double, .bool:
                kept[key] = entry
            case .null:
                continue
            default:
                tolerated("\(path).\(key)", "metadata values must be strings, numbers or booleans, found \(entry.typeName)")
            }
        }
        return kept
    }

    mutating func loadFlag(
        key: String, _ definition: JSONValue, setMetadata: [String: JSONValue], evaluators: [String: JSONValue],
        hashing: FractionalHashing
    ) -> Flag? {
        let path = "flags.\(key)"
        guard case .object(let members) = definition else {
            error(path, "a flag must be an object, found \(definition.typeName)")
            return nil
        }
        if strictness == .authoring {
            for member in members.keys.sorted() where !Self.flagMembers.contains(member) {
                error("\(path).\(member)", "unknown member; a flag has \(Self.flagMembers.sorted().joined(separator: ", "))")
            }
        }
        let errorCount = errors.count
        let state = loadState(members["state"], path: "\(path).state")
        let variants = loadVariants(members["variants"], path: "\(path).variants")
        let defaultVariant = loadVariantName(members["defaultVariant"], member: "defaultVariant", path: path, variants: variants)
        _ = loadVariantName(members["safeVariant"], member: "safeVariant", path: path, variants: variants)
        let metadata = loadMetadata(members["metadata"], path: "\(path).metadata")
        var targeting: (any Rule)?
        if let rule = members["targeting"], !rule.isNull, rule != .object([:]) {
            if case .object = rule {
            } else {
                tolerated("\(path).targeting", "targeting must be a JsonLogic object, found \(rule.typeName)")
            }
            var compiler = RuleCompiler(flagKey: key, hashing: hashing)
            targeting = compiler.compile(Self.resolveReferences(rule, evaluators), path: "\(path).targeting")
            for problem in compiler.problems { tolerated(problem.path, problem.message) }
        }
        guard errors.count == errorCount, let state, let variants else { return nil }
        return Flag(
            key: key, state: state, variants: variants, defaultVariant: defaultVariant, metadata: metadata,
            resultMetadata: setMetadata.merging(metadata) { _, flagValue in flagValue },
            definition: definition, targeting: targeting, readsTimestamp: targeting?.readsTimestamp ?? false, budget: budget)
    }

    /// The state; flagd treats a missing or unknown state string as enabled (it only checks for
    /// `DISABLED`), so that is tolerated, while a state that is not a string is an error.
    mutating func loadState(_ value: JSONValue?, path: String) -> Flag.State? {
        guard let value else {
            tolerated(path, "missing; must be \"ENABLED\" or \"DISABLED\"")
            return .enabled
        }
        guard let text = value.stringValue else {
            error(path, "must be \"ENABLED\" or \"DISABLED\", found \(value)")
            return nil
        }
        guard let state = Flag.State(rawValue: text) else {
            tolerated(path, "must be \"ENABLED\" or \"DISABLED\", found \(value)")
            return .enabled
        }
        return state
    }

    mutating func loadVariants(_ value: JSONValue?, path: String) -> [String: JSONValue]? {
        guard let value else {
            tolerated(path, "missing; a flag needs at least one variant")
            return [:]
        }
        guard case .object(let variants) = value else {
            error(path, "must be an object of variant names to values, found \(value.typeName)")
            return nil
        }
        guard !variants.isEmpty else {
            tolerated(path, "a flag needs at least one variant")
            return [:]
        }
        var kinds: [String: String] = [:]
        for (name, variant) in variants.sorted(by: { $0.key < $1.key }) {
            switch variant {
            case .bool: kinds["boolean"] = kinds["boolean"] ?? name
            case .string: kinds["string"] = kinds["string"] ?? name
            case .integer, .double: kinds["number"] = kinds["number"] ?? name
            case .object: kinds["object"] = kinds["object"] ?? name
            case .array, .null:
                tolerated("\(path).\(name)", "a variant must be a boolean, string, number or object, found \(variant.typeName)")
            }
        }
        if kinds.count > 1 {
            let found = kinds.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            tolerated(path, "all variants must have one type, found \(found)")
        }
        return variants
    }

    mutating func loadVariantName(_ value: JSONValue?, member: String, path: String, variants: [String: JSONValue]?) -> String? {
        switch value {
        case nil, .null?, .string("")?:
            return nil
        case .string(let name)?:
            if let variants, variants[name] == nil {
                let known = variants.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                let message = "\(member) \"\(name)\" is not one of the variants (\(known))"
                // flagd loads such a flag; evaluations reaching the default are GENERAL errors.
                guard member == "defaultVariant", strictness == .flagd else {
                    error(path, message)
                    return nil
                }
                tolerated(path, message)
            }
            return name
        case let other?:
            error("\(path).\(member)", "must be a variant name or null, found \(other.typeName)")
            return nil
        }
    }

    /// Replaces every `{"$ref": name}` with the named evaluator; unknown names stay in place and fail
    /// at evaluation, as in flagd. References inside evaluators are not followed.
    static func resolveReferences(_ rule: JSONValue, _ evaluators: [String: JSONValue]) -> JSONValue {
        switch rule {
        case .object(let members):
            if members.count == 1, case .string(let name)? = members["$ref"], let evaluator = evaluators[name] {
                return evaluator
            }
            return .object(members.mapValues { resolveReferences($0, evaluators) })
        case .array(let elements):
            return .array(elements.map { resolveReferences($0, evaluators) })
        default:
            return rule
        }
    }
}
