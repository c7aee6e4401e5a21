import Foundation
import SwitchyardCore

/// The outcome of applying a ``Mutation``: the new state and what the audit entry and change-feed row record.
package struct Transition: Sendable {
    /// The environment after the change (its ``EnvironmentState/version`` not yet advanced).
    package var state: EnvironmentState
    /// The audit action.
    package var action: String
    /// The flag concerned, if one.
    package var flagKey: String?
    /// The audited object before and after.
    package var before: JSONValue?
    package var after: JSONValue?
    /// What clients must apply.
    package var payload: ChangeRecord.Payload
}

extension EnvironmentState {
    /// Validates a change and computes its outcome. Pure: stores call it inside their write transaction
    /// and persist the result, so every implementation enforces the same rules.
    package func applying(_ mutation: Mutation, by author: Author, reason: String?, at now: Date) throws(StoreError) -> Transition {
        var next = self
        switch mutation {
        case .createFlag(let key, let definition):
            try Self.validateKey(key)
            guard flags[key] == nil else { throw .alreadyExists("flag \(key)") }
            guard flags.count < WriteLimits.flagsPerEnvironment else {
                throw .invalid(path: "key", "an environment has at most \(WriteLimits.flagsPerEnvironment) flags")
            }
            try validateFlag(key: key, definition)
            let flag = StoredFlag(key: key, definition: definition, version: 1, kill: nil, createdAt: now, updatedAt: now)
            next.flags[key] = flag
            return try next.flagTransition(mutation, key: key, before: nil)

        case .updateFlag(let key, let definition, let expected):
            var flag = try existingFlag(key, expectedVersion: expected)
            try validateFlag(key: key, definition)
            flag.definition = definition
            next.flags[key] = flag.bumped(at: now)
            return try next.flagTransition(mutation, key: key, before: flags[key])

        case .deleteFlag(let key, let force, let expected):
            let flag = try existingFlag(key, expectedVersion: expected)
            guard !flag.isPermanent || force else {
                throw .conflict("flag \(key) is permanent (metadata.permanent is true); delete it with force=true")
            }
            next.flags[key] = nil
            return try next.flagTransition(mutation, key: key, before: flag)

        case .setEnabled(let key, let enabled):
            var flag = try existingFlag(key, expectedVersion: nil)
            guard case .object(var members) = flag.definition else { throw .invalid(path: "flags.\(key)", "not an object") }
            members["state"] = .string(enabled ? "ENABLED" : "DISABLED")
            flag.definition = .object(members)
            next.flags[key] = flag.bumped(at: now)
            return try next.flagTransition(mutation, key: key, before: flags[key])

        case .kill(let key):
            var flag = try existingFlag(key, expectedVersion: nil)
            guard let reason, !reason.allSatisfy(\.isWhitespace) else {
                throw .invalid(path: "reason", "a kill needs a reason")
            }
            flag.kill = StoredFlag.Kill(reason: reason, at: now, by: author)
            next.flags[key] = flag.bumped(at: now)
            return try next.flagTransition(mutation, key: key, before: flags[key])

        case .unkill(let key):
            var flag = try existingFlag(key, expectedVersion: nil)
            guard flag.kill != nil else { throw .conflict("flag \(key) is not killed") }
            flag.kill = nil
            next.flags[key] = flag.bumped(at: now)
            return try next.flagTransition(mutation, key: key, before: flags[key])

        case .createSegment(let name, let rule):
            try Self.validateKey(name, what: "segment")
            guard segments[name] == nil else { throw .alreadyExists("segment \(name)") }
            guard segments.count < WriteLimits.segmentsPerEnvironment else {
                throw .invalid(path: "name", "an environment has at most \(WriteLimits.segmentsPerEnvironment) segments")
            }
            try Self.validateRule(name, rule)
            let segment = StoredSegment(name: name, rule: rule, version: 1)
            next.segments[name] = segment
            return try next.documentTransition(mutation, before: nil, after: segment.auditJSON)

        case .updateSegment(let name, let rule, let expected):
            var segment = try existingSegment(name, expectedVersion: expected)
            try Self.validateRule(name, rule)
            segment.rule = rule
            segment.version += 1
            next.segments[name] = segment
            for flag in flags.values.sorted(by: { $0.key < $1.key }) where flag.definition.references(segment: name) {
                try next.validateFlag(key: flag.key, flag.definition)
            }
            return try next.documentTransition(mutation, before: segments[name]?.auditJSON, after: segment.auditJSON)

        case .deleteSegment(let name, let expected):
            let segment = try existingSegment(name, expectedVersion: expected)
            let users = flags.values.filter { $0.definition.references(segment: name) }.map(\.key).sorted()
            guard users.isEmpty else {
                throw .conflict("segment \(name) is used by \(users.joined(separator: ", "))")
            }
            next.segments[name] = nil
            return try next.documentTransition(mutation, before: segment.auditJSON, after: nil)

        case .replaceDocument(let document, let strictness):
            let loaded: FlagDocument
            do {
                loaded = try FlagDocument(json: document, options: LoadOptions(strictness: strictness))
            } catch {
                throw .invalid(error.problems)
            }
            for key in loaded.flags.keys.sorted() { try Self.validateBudget(of: key, in: loaded) }
            guard case .object(var members) = document, case .object(let newFlags)? = members["flags"] else {
                throw .invalid(path: "flags", "missing")
            }
            let removedPermanent = flags.values.filter { $0.isPermanent && newFlags[$0.key] == nil }.map(\.key).sorted()
            guard removedPermanent.isEmpty else {
                throw .conflict("the document drops permanent flags: \(removedPermanent.joined(separator: ", "))")
            }
            let newSegments = members["$evaluators"]?.objectValue ?? [:]
            guard newFlags.count <= WriteLimits.flagsPerEnvironment else {
                throw .invalid(path: "flags", "\(newFlags.count) flags; an environment has at most \(WriteLimits.flagsPerEnvironment)")
            }
            guard newSegments.count <= WriteLimits.segmentsPerEnvironment else {
                throw .invalid(path: "$evaluators", "\(newSegments.count) segments; an environment has at most \(WriteLimits.segmentsPerEnvironment)")
            }
            for key in newFlags.keys.sorted() {
                try Self.validateKey(key)
                try Self.validateFlagShape(key: key, newFlags[key] ?? .null)
            }
            for (name, rule) in newSegments.sorted(by: { $0.key < $1.key }) {
                try Self.validateKey(name, what: "segment")
                try Self.validateShape(rule, path: "$evaluators.\(name)")
            }
            for (name, value) in members.sorted(by: { $0.key < $1.key }) where name != "flags" && name != "$evaluators" {
                try Self.validateShape(value, path: name)
            }
            next.segments = [:]
            for (name, rule) in members["$evaluators"]?.objectValue ?? [:] {
                if var segment = segments[name] {
                    if segment.rule != rule {
                        segment.rule = rule
                        segment.version += 1
                    }
                    next.segments[name] = segment
                } else {
                    next.segments[name] = StoredSegment(name: name, rule: rule, version: 1)
                }
            }
            members["flags"] = nil
            members["$evaluators"] = nil
            next.topLevel = members
            next.flags = [:]
            for (key, definition) in newFlags {
                if var flag = flags[key] {
                    if flag.definition != definition {
                        flag.definition = definition
                        flag = flag.bumped(at: now)
                    }
                    next.flags[key] = flag
                } else {
                    next.flags[key] = StoredFlag(key: key, definition: definition, version: 1, kill: nil, createdAt: now, updatedAt: now)
                }
            }
            return try next.documentTransition(mutation, before: writtenDocument, after: next.writtenDocument)
        }
    }

    private func existingFlag(_ key: String, expectedVersion: Int64?) throws(StoreError) -> StoredFlag {
        let flag = try flag(key)
        if let expectedVersion, expectedVersion != flag.version {
            throw .versionConflict(expected: expectedVersion, current: flag.version)
        }
        return flag
    }

    /// The flag with this key; not found names the closest key when this one looks like a typo.
    package func flag(_ key: String) throws(StoreError) -> StoredFlag {
        guard let flag = flags[key] else { throw .notFound("flag", key, among: flags.keys) }
        return flag
    }

    private func existingSegment(_ name: String, expectedVersion: Int64?) throws(StoreError) -> StoredSegment {
        guard let segment = segments[name] else { throw .notFound("segment", name, among: segments.keys) }
        if let expectedVersion, expectedVersion != segment.version {
            throw .versionConflict(expected: expectedVersion, current: segment.version)
        }
        return segment
    }

    /// A segment's rule is a non-empty JsonLogic object that compiles as targeting does when
    /// authored: known operators, no `$ref` (references inside segments are not followed).
    private static func validateRule(_ name: String, _ rule: JSONValue) throws(StoreError) {
        guard case .object(let members) = rule, !members.isEmpty else {
            throw .invalid(path: "$evaluators.\(name)", "a segment must be a non-empty JsonLogic object")
        }
        try validateShape(rule, path: "$evaluators.\(name)")
        do {
            _ = try FlagDocument(json: ["flags": [:], "$evaluators": .object([name: rule])], options: LoadOptions(strictness: .authoring))
        } catch {
            throw .invalid(error.problems)
        }
    }

    /// A definition or rule nests at most ``WriteLimits/nestingDepth`` levels, and its strings and
    /// arrays stay within ``WriteLimits/stringBytes`` and ``WriteLimits/arrayElements``.
    private static func validateShape(_ value: JSONValue, path: String) throws(StoreError) {
        let depth = value.nestingDepth
        guard depth <= WriteLimits.nestingDepth else {
            throw .invalid(path: path, "nests \(depth) levels deep; at most \(WriteLimits.nestingDepth) are allowed")
        }
        try validateSizes(value, path: path)
    }

    /// A flag definition's shape and its number of variants (``WriteLimits/variantsPerFlag``).
    private static func validateFlagShape(key: String, _ definition: JSONValue) throws(StoreError) {
        try validateShape(definition, path: "flags.\(key)")
        if let variants = definition["variants"]?.objectValue, variants.count > WriteLimits.variantsPerFlag {
            throw .invalid(path: "flags.\(key).variants", "\(variants.count) variants; a flag has at most \(WriteLimits.variantsPerFlag)")
        }
    }

    private static func validateSizes(_ value: JSONValue, path: String) throws(StoreError) {
        switch value {
        case .string(let text) where text.utf8.count > WriteLimits.stringBytes:
            throw .invalid(path: path, "a string of \(text.utf8.count) bytes; at most \(WriteLimits.stringBytes) are allowed")
        case .array(let elements):
            guard elements.count <= WriteLimits.arrayElements else {
                throw .invalid(path: path, "an array of \(elements.count) elements; at most \(WriteLimits.arrayElements) are allowed")
            }
            for (index, element) in elements.enumerated() { try validateSizes(element, path: "\(path)[\(index)]") }
        case .object(let members):
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                guard name.utf8.count <= WriteLimits.stringBytes else {
                    throw .invalid(path: path, "a member name of \(name.utf8.count) bytes; at most \(WriteLimits.stringBytes) are allowed")
                }
                try validateSizes(member, path: "\(path).\(name)")
            }
        default:
            return
        }
    }

    /// Checks one flag with the authoring rules, against the shared rules it refers to, and its cost.
    private func validateFlag(key: String, _ definition: JSONValue) throws(StoreError) {
        try Self.validateFlagShape(key: key, definition)
        var document: [String: JSONValue] = ["flags": .object([key: definition])]
        let used = segments.filter { definition.references(segment: $0.key) }
        if !used.isEmpty { document["$evaluators"] = .object(used.mapValues(\.rule)) }
        let loaded: FlagDocument
        do {
            loaded = try FlagDocument(json: .object(document), options: LoadOptions(strictness: .authoring))
        } catch {
            throw .invalid(error.problems)
        }
        try Self.validateBudget(of: key, in: loaded)
    }

    /// A flag whose targeting spends the whole evaluation budget on an empty context would fail
    /// (nearly) every evaluation.
    private static func validateBudget(of key: String, in document: FlagDocument) throws(StoreError) {
        let sample = document.resolve(key)
        if sample.exceedsBudget {
            throw .invalid(path: "flags.\(key).targeting", "\(sample.errorMessage ?? "exceeded the evaluation budget") on an empty context")
        }
    }

    /// Checks that the whole served document still loads (as flagd would).
    private func validateServed() throws(StoreError) {
        do {
            _ = try FlagDocument(json: servedDocument)
        } catch {
            throw .invalid(error.problems)
        }
    }

    private func flagTransition(_ mutation: Mutation, key: String, before: StoredFlag?) throws(StoreError) -> Transition {
        try validateServed()
        let flag = flags[key]
        if let served = flag?.served { try Self.validateChangeNesting(served) }
        return Transition(
            state: self, action: mutation.action, flagKey: key, before: before?.auditJSON, after: flag?.auditJSON,
            payload: .flag(key: key, served: flag?.served))
    }

    private func documentTransition(_ mutation: Mutation, before: JSONValue?, after: JSONValue?) throws(StoreError) -> Transition {
        try validateServed()
        let document = servedDocument
        try Self.validateChangeNesting(document)
        return Transition(state: self, action: mutation.action, flagKey: nil, before: before, after: after, payload: .document(document))
    }

    /// The deepest change-feed payload: a document holding definitions at the nesting limit.
    static let maximumChangeNestingDepth = WriteLimits.nestingDepth + 2

    /// A change-feed payload nests no deeper than a document of definitions within the limit.
    ///
    /// Only a flag or segment stored before the limit existed can make it deeper; such a change
    /// would be committed and then fail every reader of the feed (the answer, streams, the next
    /// start), so the write is refused instead, naming what to rewrite first.
    private static func validateChangeNesting(_ payload: JSONValue) throws(StoreError) {
        let depth = payload.nestingDepth
        guard depth <= maximumChangeNestingDepth else {
            throw .invalid(
                path: "",
                "the change would nest \(depth) levels, more than \(maximumChangeNestingDepth): a flag or segment stored before the "
                    + "nesting limit of \(WriteLimits.nestingDepth) is deeper; rewrite it within the limit first")
        }
    }

    /// Flag keys and segment names: 1 to ``WriteLimits/keyBytes`` bytes of ASCII letters, digits and
    /// ``WriteLimits/keyPunctuation``, starting with a letter or digit and not ending with a space.
    ///
    /// ASCII only, so that no two keys look alike, and no control, bidirectional or zero-width
    /// character can hide in one (and every key is already NFC-normalized).
    static func validateKey(_ key: String, what: String = "flag") throws(StoreError) {
        let name = what == "flag" ? "flag key" : "\(what) name"
        let path = what == "flag" ? "key" : "name"
        guard !key.isEmpty, key.utf8.count <= WriteLimits.keyBytes else {
            throw .invalid(path: path, "a \(name) must be 1 to \(WriteLimits.keyBytes) bytes long")
        }
        let allowed = key.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || WriteLimits.keyPunctuation.contains($0) }
        guard allowed, let first = key.first, first.isLetter || first.isNumber, key.last != " " else {
            let punctuation = WriteLimits.keyPunctuation.sorted().map { $0 == " " ? "space" : String($0) }.joined(separator: " ")
            throw .invalid(
                path: path,
                "a \(name) is ASCII letters, digits and \(punctuation), starting with a letter or digit and not ending with a space; "
                    + "found \(key.debugDescription)")
        }
    }
}

extension StoredFlag {
    /// The flag after a write: next version, new update time.
    func bumped(at now: Date) -> StoredFlag {
        var flag = self
        flag.version += 1
        flag.updatedAt = now
        return flag
    }

    /// What the audit log records for a flag: its definition, version and kill.
    var auditJSON: JSONValue {
        var members: [String: JSONValue] = ["definition": definition, "version": .integer(version)]
        if let kill { members["kill"] = .object(["reason": .string(kill.reason), "by": .string(kill.by.id)]) }
        return .object(members)
    }
}

extension StoredSegment {
    /// What the audit log records for a segment: its name, rule and version.
    var auditJSON: JSONValue {
        ["name": .string(name), "rule": rule, "version": .integer(version)]
    }
}

extension JSONValue {
    /// Whether a rule contains `{"$ref": name}` anywhere.
    func references(segment name: String) -> Bool {
        switch self {
        case .object(let members):
            if members.count == 1, members["$ref"] == .string(name) { return true }
            return members.values.contains { $0.references(segment: name) }
        case .array(let items):
            return items.contains { $0.references(segment: name) }
        default:
            return false
        }
    }
}
