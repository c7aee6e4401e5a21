/// One arm of a flag: a variant, optionally restricted to one segment.
public struct ArmKey: Sendable, Hashable, CustomStringConvertible {
    public var flag: String
    public var variant: String
    /// The segment, or `nil` for units outside any segment (or when segments are not tracked).
    public var segment: String?

    public init(flag: String, variant: String, segment: String? = nil) {
        self.flag = flag
        self.variant = variant
        self.segment = segment
    }

    public var description: String {
        segment.map { "\(flag)/\(variant)/\($0)" } ?? "\(flag)/\(variant)"
    }
}
