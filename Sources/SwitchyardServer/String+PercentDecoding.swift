import Foundation

extension String {
    /// Decodes `%XX` escapes (Foundation's `removingPercentEncoding`); `nil` when an escape is
    /// malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? {
        // Most flag keys hold no escape, and a String is valid UTF-8 already: nothing to decode.
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        return removingPercentEncoding
    }
}
