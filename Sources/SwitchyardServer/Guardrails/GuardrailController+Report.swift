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
        let now = clock.now
        let aggregator = await ingestor.aggregator(of: environment)
        let report: VariantReport
        if let machine = await supervisor.machine(of: key, in: environment), machine.state.phase == .running || machine.state.phase == .paused {
            report = machine.report(aggregator, now: now)
        } else {
            guard let control = request.uri.queryParameters["control"].map(String.init) ?? flag.safeVariant else {
                throw APIError.badRequest("the flag has no safeVariant or defaultVariant; pass ?control=", path: "control")
            }
            report = VariantReport(aggregator, flag: key, control: control, weights: flag.fractionalWeights, now: now)
        }
        if request.uri.queryParameters["format"] == "table" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: report.table + "\n")))
        }
        return .json(report.json)
    }
}
