import Foundation

extension String {
    /// Decodes `%XX` escapes (Foundation's `removingPercentEncoding`); `nil` when an escape is
    /// malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? { removingPercentEncoding }
}
