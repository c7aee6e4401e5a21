import SwitchyardCore
import SwitchyardGuard

extension SwitchyardClient {
    /// The value of a boolean flag for `context`, or `default` when it cannot be served.
    public func bool(_ flag: String, default defaultValue: Bool, context: EvaluationContext = EvaluationContext()) -> Bool {
        resolve(flag, as: .boolean, default: .bool(defaultValue), context: context).value?.boolValue ?? defaultValue
    }

    /// ``bool(_:default:context:)`` with the variant, reason and error.
    public func boolDetails(_ flag: String, default defaultValue: Bool, context: EvaluationContext = EvaluationContext()) -> FlagDetails<Bool> {
        details(flag, resolve(flag, as: .boolean, default: .bool(defaultValue), context: context), default: defaultValue) { $0.boolValue }
    }

    /// The value of a string flag for `context`, or `default` when it cannot be served.
    public func string(_ flag: String, default defaultValue: String, context: EvaluationContext = EvaluationContext()) -> String {
        resolve(flag, as: .string, default: .string(defaultValue), context: context).value?.stringValue ?? defaultValue
    }

    /// ``string(_:default:context:)`` with the variant, reason and error.
    public func stringDetails(
        _ flag: String, default defaultValue: String, context: EvaluationContext = EvaluationContext()
    ) -> FlagDetails<String> {
        details(flag, resolve(flag, as: .string, default: .string(defaultValue), context: context), default: defaultValue) { $0.stringValue }
    }

    /// The value of an integer flag for `context`, or `default` when it cannot be served.
    public func int(_ flag: String, default defaultValue: Int, context: EvaluationContext = EvaluationContext()) -> Int {
        Self.int(resolve(flag, as: .integer, default: .integer(Int64(defaultValue)), context: context).value) ?? defaultValue
    }

    /// ``int(_:default:context:)`` with the variant, reason and error.
    public func intDetails(_ flag: String, default defaultValue: Int, context: EvaluationContext = EvaluationContext()) -> FlagDetails<Int> {
        details(flag, resolve(flag, as: .integer, default: .integer(Int64(defaultValue)), context: context), default: defaultValue) {
            Self.int($0)
        }
    }

    /// The value of a floating-point flag for `context`, or `default` when it cannot be served.
    public func double(_ flag: String, default defaultValue: Double, context: EvaluationContext = EvaluationContext()) -> Double {
        resolve(flag, as: .float, default: .double(defaultValue), context: context).value?.numberValue ?? defaultValue
    }

    /// ``double(_:default:context:)`` with the variant, reason and error.
    public func doubleDetails(
        _ flag: String, default defaultValue: Double, context: EvaluationContext = EvaluationContext()
    ) -> FlagDetails<Double> {
        details(flag, resolve(flag, as: .float, default: .double(defaultValue), context: context), default: defaultValue) { $0.numberValue }
    }

    /// The value of an object flag for `context`, or `default` when it cannot be served.
    public func object(
        _ flag: String, default defaultValue: [String: JSONValue], context: EvaluationContext = EvaluationContext()
    ) -> [String: JSONValue] {
        resolve(flag, as: .object, default: .object(defaultValue), context: context).value?.objectValue ?? defaultValue
    }

    /// ``object(_:default:context:)`` with the variant, reason and error.
    public func objectDetails(
        _ flag: String, default defaultValue: [String: JSONValue], context: EvaluationContext = EvaluationContext()
    ) -> FlagDetails<[String: JSONValue]> {
        details(flag, resolve(flag, as: .object, default: .object(defaultValue), context: context), default: defaultValue) {
            $0.objectValue
        }
    }

    /// Evaluates on the current snapshot and records the exposure.
    private func resolve(_ flag: String, as type: FlagValueType, default defaultValue: JSONValue, context: EvaluationContext) -> Resolution {
        let flagHash = keyHash(flag)
        // Looked up before the evaluation, so that the memory is in the cache when it is needed.
        let exposure = options.exposures ? exposures.slot(flagHash: flagHash, unitHash: context.targetingKeyHash) : nil
        let resolution = current.read {
            $0.resolve(flag, keyHash: flagHash, as: type, default: defaultValue, context: context) { options.clock.now.secondsSinceEpoch }
        }
        // Hashes are never 0: a 0 means no variant was served, or the context has no targeting key.
        if let exposure, resolution.variantHash != 0, context.targetingKeyHash != 0,
            exposures.record(exposure, variantHash: resolution.variantHash)
        {
            appendExposure(flag, resolution, context)
        }
        return resolution
    }

    /// Queues the exposure of a first evaluation in the window, kept out of the evaluation path.
    @inline(never)
    private func appendExposure(_ flag: String, _ resolution: Resolution, _ context: EvaluationContext) {
        guard let variant = resolution.variant, let unitKey = context.targetingKey else { return }
        let exposure = ExposureEvent(flag: flag, variant: variant, reason: resolution.reason.rawValue, unitKey: unitKey, timestamp: options.clock.now)
        if events.append(.event(.exposure(exposure))) >= options.flushSize { flushSignal.yield() }
    }

    private func details<Value>(
        _ flag: String, _ resolution: Resolution, default defaultValue: Value, _ extract: (JSONValue) -> Value?
    ) -> FlagDetails<Value> {
        FlagDetails(
            flag: flag, value: resolution.value.flatMap(extract) ?? defaultValue, variant: resolution.variant,
            reason: resolution.reason, errorCode: resolution.errorCode, errorMessage: resolution.errorMessage, metadata: resolution.metadata)
    }

    private static func int(_ value: JSONValue?) -> Int? {
        guard case .integer(let number)? = value else { return nil }
        return Int(exactly: number)
    }
}
