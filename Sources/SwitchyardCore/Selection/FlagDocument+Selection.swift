extension FlagDocument {
    /// A flag's resolution within a selected flag set (``FlagSetSelector``): a flag outside the set
    /// is not found, and the selection is reflected into the metadata, as flagd does. Without a
    /// selector, ``resolve(_:context:now:)``; `now` is as there.
    public func resolve(
        _ key: String, context: EvaluationContext, selector: FlagSetSelector?, now: () -> Int64 = FlagDocument.systemTimestamp
    ) -> Resolution {
        guard let selector else { return resolve(key, context: context, now: now) }
        var resolution: Resolution
        if selector.selects(key, in: self) {
            resolution = resolve(key, context: context, now: now)
        } else {
            resolution = .failure(.flagNotFound, "flag \"\(key)\" does not exist in flag set \"\(selector.flagSetId)\"", metadata: metadata)
        }
        resolution.metadata.merge(selector.metadata) { _, reflected in reflected }
        return resolution
    }

    /// The keys of the flags a selector selects (every flag without one), in order.
    public func keys(selectedBy selector: FlagSetSelector?) -> [String] {
        flags.filter { selector?.contains($0.value) ?? true }.keys.sorted()
    }
}
