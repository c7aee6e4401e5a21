import Hummingbird
import SwitchyardStore

extension SwitchyardRequestContext {
    /// Who makes the request: the author of the key it was made with, the one name every write and
    /// audit entry of the request records.
    var author: Author {
        get throws(APIError) {
            guard let key = apiKey else { throw APIError.missingKey }
            return key.author
        }
    }
}
