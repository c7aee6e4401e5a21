import SwitchyardCore

/// The limits every write to an environment is checked against; docs/server.md lists them under
/// "Limits". A write beyond one is refused with a 400 that names the limit.
package enum WriteLimits {
    /// Flags in one environment.
    package static let flagsPerEnvironment = 10_000
    /// Segments (`$evaluators`) in one environment.
    package static let segmentsPerEnvironment = 1_000
    /// Variants of one flag.
    package static let variantsPerFlag = 100
    /// Length of a flag key or segment name, in bytes.
    package static let keyBytes = 256
    /// Length of one string anywhere in a flag definition or segment rule, in UTF-8 bytes.
    package static let stringBytes = 65_536
    /// Elements of one array anywhere in a flag definition or segment rule.
    package static let arrayElements = 10_000
    /// Nesting of a flag definition or segment rule: ``JSONValue/maximumDefinitionNestingDepth``.
    package static let nestingDepth = JSONValue.maximumDefinitionNestingDepth

    /// The punctuation a flag key or segment name may contain besides ASCII letters and digits.
    package static let keyPunctuation: Set<Character> = ["-", "_", ".", ":", "@", "+", "~", " "]
}
