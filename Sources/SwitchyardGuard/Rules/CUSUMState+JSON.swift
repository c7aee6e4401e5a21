import SwitchyardCore

extension CUSUMState {
    /// `{"statistic": 7.52, "minute": 28875000, "events": 2, "trials": 20}`, for the store.
    public var json: JSONValue {
        ["statistic": .double(statistic), "minute": .integer(minute), "events": .integer(Int64(events)), "trials": .integer(Int64(trials))]
    }

    /// Reads a state written by ``json``; errors name the member.
    public init(json: JSONValue) throws(KillRuleError) {
        guard let statistic = json["statistic"]?.numberValue, statistic.isFinite, statistic >= 0 else {
            throw .member("cusum.statistic", "must be a finite number ≥ 0")
        }
        guard case .integer(let minute)? = json["minute"] else { throw .member("cusum.minute", "must be a whole number") }
        guard case .integer(let events)? = json["events"], case .integer(let trials)? = json["trials"], events >= 0, trials >= events else {
            throw .member("cusum.trials", "events and trials must be whole numbers with 0 ≤ events ≤ trials")
        }
        self.init(statistic: statistic, minute: minute, events: Int(events), trials: Int(trials))
    }
}
