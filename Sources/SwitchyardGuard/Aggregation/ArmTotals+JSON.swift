import SwitchyardCore

extension Moments {
    /// Moments from their sums, for example read back from storage.
    public init(count: Int, sum: Double, sumOfSquares: Double, sumOfLogs: Double, sumOfLogSquares: Double) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.sumOfLogs = sumOfLogs
        self.sumOfLogSquares = sumOfLogSquares
    }

    var json: JSONValue {
        [
            "n": .integer(Int64(count)), "sum": .double(sum), "sum2": .double(sumOfSquares), "log": .double(sumOfLogs),
            "log2": .double(sumOfLogSquares),
        ]
    }

    init(stored fields: StoredFields) throws(AggregateDecodingError) {
        self.init(
            count: try fields.count("n"), sum: try fields.number("sum"), sumOfSquares: try fields.number("sum2"), sumOfLogs: try fields.number("log"),
            sumOfLogSquares: try fields.number("log2"))
    }
}

extension QuantileSketch {
    /// `{"zero": z, "offset": i, "counts": [...]}`: the zero bucket, then the buckets from the
    /// first non-empty one on.
    var json: JSONValue {
        let offset = counts.firstIndex { $0 > 0 } ?? counts.count
        return [
            "zero": .integer(Int64(zeroCount)), "offset": .integer(Int64(offset)), "counts": .array(counts[offset...].map { .integer(Int64($0)) }),
        ]
    }

    init(stored fields: StoredFields) throws(AggregateDecodingError) {
        self.init()
        let offset = try fields.count("offset")
        guard offset <= Self.maximumIndex, let stored = fields.members["counts"]?.arrayValue, offset + stored.count <= Self.maximumIndex + 1 else {
            throw .invalid("\(fields.path).counts", expected: "an array of bucket counts")
        }
        zeroCount = UInt32(clamping: try fields.count("zero"))
        counts = [UInt32](repeating: 0, count: offset)
        for value in stored {
            guard case .integer(let number) = value, number >= 0, number <= Int64(UInt32.max) else {
                throw .invalid("\(fields.path).counts", expected: "an array of bucket counts")
            }
            counts.append(UInt32(number))
        }
        count = Int(zeroCount) + counts.reduce(0) { $0 + Int($1) }
    }
}

extension ArmTotals {
    /// The totals as JSON, for the store's one-minute buckets.
    public var json: JSONValue {
        [
            "exposures": .integer(Int64(exposures)),
            "outputs": .integer(Int64(outputs)),
            "errors": .integer(Int64(errors)),
            "finishReasons": .object(
                Dictionary(uniqueKeysWithValues: FinishReason.allCases.map { ($0.rawValue, JSONValue.integer(Int64(outputs(finishing: $0)))) })),
            "chars": chars.json,
            "words": words.json,
            "latencyMs": latencyMs.json,
            "tokensIn": tokensIn.json,
            "tokensOut": tokensOut.json,
            "charsSketch": charsSketch.json,
            "wordsSketch": wordsSketch.json,
            "latencySketch": latencySketch.json,
            "positiveFeedback": .integer(Int64(positiveFeedback)),
            "negativeFeedback": .integer(Int64(negativeFeedback)),
            "edits": .integer(Int64(edits)),
            "editDistance": .integer(Int64(editDistance)),
            "actions": .integer(Int64(actions)),
            "breakerTrips": .integer(Int64(breakerTrips)),
        ]
    }

    /// Reads totals written by ``json``.
    public init(json: JSONValue) throws(AggregateDecodingError) {
        let fields = try StoredFields(json, path: "totals")
        self.init()
        exposures = try fields.count("exposures")
        outputs = try fields.count("outputs")
        errors = try fields.count("errors")
        let reasons = try fields.nested("finishReasons")
        for reason in FinishReason.allCases { finishReasons[reason.index] = try reasons.count(reason.rawValue) }
        chars = try Moments(stored: fields.nested("chars"))
        words = try Moments(stored: fields.nested("words"))
        latencyMs = try Moments(stored: fields.nested("latencyMs"))
        tokensIn = try Moments(stored: fields.nested("tokensIn"))
        tokensOut = try Moments(stored: fields.nested("tokensOut"))
        charsSketch = try QuantileSketch(stored: fields.nested("charsSketch"))
        wordsSketch = try QuantileSketch(stored: fields.nested("wordsSketch"))
        latencySketch = try QuantileSketch(stored: fields.nested("latencySketch"))
        positiveFeedback = try fields.count("positiveFeedback")
        negativeFeedback = try fields.count("negativeFeedback")
        edits = try fields.count("edits")
        editDistance = try fields.count("editDistance")
        actions = try fields.count("actions")
        breakerTrips = try fields.count("breakerTrips")
    }
}
