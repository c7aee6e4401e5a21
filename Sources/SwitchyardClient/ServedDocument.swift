import SwitchyardCore

/// The flagd document as the server serves it (top-level members), with the version and ETag it
/// came with. Kept as JSON so that stream changes can be applied flag by flag and the cache can be
/// written exactly as received.
struct ServedDocument: Sendable, Equatable {
    /// The document's top-level members: `flags`, `$evaluators`, `metadata`.
    var members: [String: JSONValue]
    /// The server's change version; `nil` for a bootstrap file.
    var version: Int64?
    /// The server's entity tag, for conditional polling.
    var etag: String?

    /// The document after one `change` event: the flag replaced, or removed when `served` is `nil`.
    func applying(flag key: String, served: JSONValue?, version: Int64) -> ServedDocument {
        var members = self.members
        var flags = members["flags"]?.objectValue ?? [:]
        flags[key] = served
        members["flags"] = .object(flags)
        return ServedDocument(members: members, version: version, etag: nil)
    }

    /// The kill marker of a flag this process's local breaker killed.
    static let localBreakerMarker: [String: JSONValue] = [
        "killed": true, "killReason": "a local circuit breaker of this process tripped", "killedBy": "local-breaker",
    ]

    /// The document compiled for evaluation, with the flags the local breaker killed served exactly
    /// as a server-side kill serves them (``KillSwitch/killed(_:marker:)``), marked as killed by
    /// `local-breaker`.
    func compiled(killing killed: Set<String>) throws(FlagDocumentError) -> FlagDocument {
        guard !killed.isEmpty, var flags = members["flags"]?.objectValue else {
            return try FlagDocument(json: .object(members))
        }
        for key in killed {
            guard let flag = flags[key] else { continue }
            flags[key] = KillSwitch.killed(flag, marker: Self.localBreakerMarker)
        }
        var members = self.members
        members["flags"] = .object(flags)
        return try FlagDocument(json: .object(members))
    }
}
