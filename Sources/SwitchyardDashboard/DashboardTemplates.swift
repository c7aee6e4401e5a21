import Mustache

/// The compiled-in Mustache templates. `{{ }}` escapes HTML; the only triple-stashes are
/// `{{{body}}}` and `{{{svg}}}`, which hold markup this module rendered (and escaped) itself.
struct DashboardTemplates: Sendable {
    private let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in Self.sources {
            // The templates are constants of this module: a parse error is a programming error.
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("dashboard template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// Renders a template with a view model.
    func render(_ name: String, _ object: Any) -> String {
        guard let text = library.render(object, withTemplate: name) else {
            preconditionFailure("no dashboard template \(name)")
        }
        return text
    }

    static let sources: [String: String] = [
        "layout": layout, "signIn": signIn, "flags": flags, "flag": flag, "segments": segments, "environments": environments,
        "keys": keys, "stale": stale, "audit": audit, "message": message, "auditEntries": auditEntries,
    ]
}
