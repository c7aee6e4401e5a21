import Foundation
import SwitchyardCore

/// Everything an environment serves, as stored: flags, shared rules and top-level document members.
package struct EnvironmentState: Sendable, Equatable {
    /// The environment name.
    package var name: String
    /// Top-level document members other than `flags` and `$evaluators` (`metadata`, `fractionalHashing`).
    package var topLevel: [String: JSONValue]
    /// Flags by key.
    package var flags: [String: StoredFlag]
    /// Shared rules (`$evaluators`) by name.
    package var segments: [String: StoredSegment]
    /// The newest change-feed version of this environment, 0 before the first change.
    package var version: Int64

    package init(
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
    package var servedDocument: JSONValue {
        document(\.served)
    }

    /// The flagd document as written (kills not applied): what export returns.
    package var writtenDocument: JSONValue {
        document(\.definition)
    }

    private func document(_ flagObject: (StoredFlag) -> JSONValue) -> JSONValue {
        var members = topLevel
        members["flags"] = .object(flags.mapValues(flagObject))
        if !segments.isEmpty { members["$evaluators"] = evaluators }
        return .object(members)
    }

    /// The shared rules as a flagd `$evaluators` object.
    package var evaluators: JSONValue {
        .object(segments.mapValues(\.rule))
    }

    /// Flags unchanged for `days` days that serve the same to everyone (no targeting, killed or
    /// disabled) and are not permanent: candidates for removal.
    package func staleFlags(unchangedForDays days: Int, now: Date) -> [StoredFlag] {
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
