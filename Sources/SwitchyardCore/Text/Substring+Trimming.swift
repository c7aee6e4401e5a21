extension Substring {
    /// Without leading and trailing spaces.
    package var trimmingSpaces: Substring {
        var trimmed = self
        while trimmed.utf8.first == 0x20 { trimmed = trimmed.dropFirst() }
        while trimmed.utf8.last == 0x20 { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
