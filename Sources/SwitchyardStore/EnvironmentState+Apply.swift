import Foundation
import SwitchyardCore

/// The outcome of applying a ``Mutation``: the new state and what the audit entry and change-feed row record.
public struct Transition: Sendable {
    /// The environment after the change (its ``EnvironmentState/version`` not yet advanced).
    public var state: EnvironmentState
    /// The audit action.
    public var action: String
    /// The flag concerned, if one.
    public var flagKey: String?
    /// The audited object before and after.
    public var before: JSONValue?
    public var after: JSONValue?
    /// What clients must apply.
    public var payload: ChangeRecord.Payload
}

extension EnvironmentState {
    /// Validates a change and computes its outcome. Pure: stores call it inside their write transaction
    /// and persist the result, so every implementation enforces the same rules.
    public func applying(_ mutation: Mutation, by author: Author, reason: String?, at now: Date) throws(StoreError) -> Transition {
        var next = self
        switch mutation {
        case .createFlag(let key, let definition):
            try Self.validateKey(key)
            guard flags[key] == nil else { throw .alreadyExists("flag \(key)") }
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
            do {
                _ = try FlagDocument(json: document, options: LoadOptions(strictness: strictness))
            } catch {
                throw .invalid(error.problems)
            }
            guard case .object(var members) = document, case .object(let newFlags)? = members["flags"] else {
                throw .invalid(path: "flags", "missing")
            }
            let removedPermanent = flags.values.filter { $0.isPermanent && newFlags[$0.key] == nil }.map(\.key).sorted()
            guard removedPermanent.isEmpty else {
                throw .conflict("the document drops permanent flags: \(removedPermanent.joined(separator: ", "))")
            }
            for key in newFlags.keys.sorted() { try Self.validateKey(key) }
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
    public func flag(_ key: String) throws(StoreError) -> StoredFlag {
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

    /// A segment's rule is a non-empty JsonLogic object.
    private static func validateRule(_ name: String, _ rule: JSONValue) throws(StoreError) {
        guard case .object(let members) = rule, !members.isEmpty else {
            throw .invalid(path: "$evaluators.\(name)", "a segment must be a non-empty JsonLogic object")
        }
    }

    /// Checks one flag with the authoring rules, against this environment's shared rules.
    private func validateFlag(key: String, _ definition: JSONValue) throws(StoreError) {
        var document: [String: JSONValue] = ["flags": .object([key: definition])]
        if !segments.isEmpty { document["$evaluators"] = evaluators }
        do {
            _ = try FlagDocument(json: .object(document), options: LoadOptions(strictness: .authoring))
        } catch {
            throw .invalid(error.problems)
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
        return Transition(
            state: self, action: mutation.action, flagKey: key, before: before?.auditJSON, after: flag?.auditJSON,
            payload: .flag(key: key, served: flag?.served))
    }

    private func documentTransition(_ mutation: Mutation, before: JSONValue?, after: JSONValue?) throws(StoreError) -> Transition {
        try validateServed()
        return Transition(
            state: self, action: mutation.action, flagKey: nil, before: before, after: after, payload: .document(servedDocument))
    }

    /// Flag keys and segment names: 1 to 256 bytes, no `/`, no control characters.
    static func validateKey(_ key: String, what: String = "flag") throws(StoreError) {
        guard !key.isEmpty, key.utf8.count <= 256 else {
            throw .invalid(path: "key", "a \(what) key must be 1 to 256 bytes long")
        }
        guard !key.unicodeScalars.contains(where: { $0 == "/" || $0.properties.generalCategory == .control }) else {
            throw .invalid(path: "key", "a \(what) key must not contain \"/\" or control characters")
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
