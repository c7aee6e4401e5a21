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

    /// The document compiled for evaluation, with the flags the local breaker killed forced to
    /// their safe variant exactly as a server-side kill does: no targeting, `safeVariant` (else
    /// `defaultVariant`, else the code default) as the default variant, and the kill marker in the
    /// flag's metadata with `killedBy: "local-breaker"`.
    func compiled(killing killed: Set<String>) throws(FlagDocumentError) -> FlagDocument {
        guard !killed.isEmpty, var flags = members["flags"]?.objectValue else {
            return try FlagDocument(json: .object(members))
        }
        for key in killed {
            guard case .object(var flag)? = flags[key] else { continue }
            flag["targeting"] = nil
            flag["defaultVariant"] = flag["safeVariant"] ?? flag["defaultVariant"] ?? .null
            var metadata = flag["metadata"]?.objectValue ?? [:]
            metadata["killed"] = true
            metadata["killReason"] = "a local circuit breaker of this process tripped"
            metadata["killedBy"] = "local-breaker"
            flag["metadata"] = .object(metadata)
            flags[key] = .object(flag)
        }
        var members = self.members
        members["flags"] = .object(flags)
        return try FlagDocument(json: .object(members))
    }
}
