import Foundation
import Hummingbird
import NIOCore
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

extension GuardrailController {
    /// The variant report; `?format=table` answers the aligned text table, `?control=` names the control.
    @Sendable func report(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        let flag = try await flag(key, in: environment)
        let control = request.uri.queryParameters["control"].map(String.init)
        guard let (report, trips) = try await variantReport(flag, in: environment, control: control) else {
            throw APIError.badRequest("the flag has no safeVariant or defaultVariant; pass ?control=", path: "control")
        }
        if request.uri.queryParameters["format"] == "table" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            let text = (trips.map(Self.tripLine) + [report.table]).joined(separator: "\n")
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
        }
        return .json(Self.reportBody(report, trips: trips, flag: flag))
    }

    /// The report of a flag (the running rollout's comparison, else `control`, by default the safe
    /// variant, against the rest) with its tripped rules; `nil` when there is no control.
    func variantReport(_ flag: StoredFlag, in environment: String, control: String?) async throws -> (VariantReport, [JSONValue])? {
        let now = clock.now
        let aggregator = try await ingestor.aggregates(of: environment, now: now).aggregator
        let report: VariantReport
        if let machine = await supervisor.machine(of: flag.key, in: environment), machine.state.phase == .running || machine.state.phase == .paused {
            report = machine.report(aggregator, now: now)
        } else {
            guard let control = control ?? flag.safeVariant else { return nil }
            report = VariantReport(aggregator, flag: flag.key, control: control, weights: flag.fractionalWeights, now: now)
        }
        return (report, await watch.rules(of: flag.key, in: environment).compactMap(\.trip).map(\.details))
    }

    /// The report's JSON with its tripped rules and the flag's kill.
    static func reportBody(_ report: VariantReport, trips: [JSONValue], flag: StoredFlag) -> JSONValue {
        guard case .object(var body) = report.json else { return report.json }
        body["trippedRules"] = .array(trips)
        if let kill = flag.kill {
            body["kill"] = ["reason": .string(kill.reason), "at": kill.at.json, "by": .string(kill.by.id)]
        }
        return .object(body)
    }

    /// A tripped rule in words, with the test that tripped it: the comparisons below it use
    /// always-valid intervals over units, which can still say `noEvidence` right after a kill.
    static func tripLine(_ trip: JSONValue) -> String {
        let measurement = trip["measurement"]
        let number = { (name: String) in measurement?[name]?.numberValue.map { String(format: "%.4g", $0) } ?? "n/a" }
        return "KILLED by rule '\(trip["rule"]?.stringValue ?? "?")' on variant \(trip["variant"]?.stringValue ?? "?"): "
            + "\(measurement?["method"]?.stringValue ?? "?") test, observed \(number("observed")), bound \(number("bound")) vs limit \(number("limit")), "
            + "\(number("samples")) samples. The comparisons below test per-unit differences with always-valid intervals, "
            + "a stricter test, so they can still read noEvidence."
    }
}
