import HTTPTypes

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("X-API-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let switchyardClient = HTTPField.Name("X-Switchyard-Client")!
    static let flagdSelector = HTTPField.Name("Flagd-Selector")!
    static let accessControlExposeHeaders = HTTPField.Name("Access-Control-Expose-Headers")!
}
