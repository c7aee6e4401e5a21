import Foundation
import SwitchyardCore

/// Everything an environment serves, as stored: flags, shared rules and top-level document members.
public struct EnvironmentState: Sendable, Equatable {
    /// The environment name.
    public var name: String
    /// Top-level document members other than `flags` and `$evaluators` (`metadata`, `fractionalHashing`).
    public var topLevel: [String: JSONValue]
    /// Flags by key.
    public var flags: [String: StoredFlag]
    /// Shared rules (`$evaluators`) by name.
    public var segments: [String: StoredSegment]
    /// The newest change-feed version of this environment, 0 before the first change.
    public var version: Int64

    public init(
        name: String, topLevel: [String: JSONValue] = [:], flags: [String: StoredFlag] = [:],
        segments: [String: StoredSegment] = [:], version: Int64 = 0
    ) {
        self.name = name
        self.topLevel = topLevel
        self.flags = flags
        self.segments = segments
        self.version = version
    }

    /// The flagd document clients are served: kills applied.
    public var servedDocument: JSONValue {
        document(\.served)
    }

    /// The flagd document as written (kills not applied): what export returns.
    public var writtenDocument: JSONValue {
        document(\.definition)
    }

    private func document(_ flagObject: (StoredFlag) -> JSONValue) -> JSONValue {
        var members = topLevel
        members["flags"] = .object(flags.mapValues(flagObject))
        if !segments.isEmpty { members["$evaluators"] = evaluators }
        return .object(members)
    }

    /// The shared rules as a flagd `$evaluators` object.
    public var evaluators: JSONValue {
        .object(segments.mapValues(\.rule))
    }

    /// Flags unchanged for `days` days that serve the same to everyone (no targeting, killed or
    /// disabled) and are not permanent: candidates for removal.
    public func staleFlags(unchangedForDays days: Int, now: Date) -> [StoredFlag] {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        return flags.values.filter { flag in
            guard !flag.isPermanent, flag.updatedAt <= cutoff else { return false }
            guard flag.kill == nil, flag.definition["state"] != "DISABLED" else { return true }
            let targeting = flag.definition["targeting"]
            return targeting == nil || targeting == .null || targeting == .object([:])
        }
        .sorted { $0.key < $1.key }
    }
}
