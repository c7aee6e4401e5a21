import Foundation

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingSpaces: Substring {
        var trimmed = self
        while trimmed.utf8.first == 0x20 { trimmed = trimmed.dropFirst() }
        while trimmed.utf8.last == 0x20 { trimmed = trimmed.dropLast() }
        return trimmed
    }
}

extension String {
    /// Decodes `%XX` escapes (Foundation's `removingPercentEncoding`); `nil` when an escape is
    /// malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? { removingPercentEncoding }
}
