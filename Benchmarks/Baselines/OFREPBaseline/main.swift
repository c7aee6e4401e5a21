import Foundation
import Hummingbird

/// The ceiling OFREP throughput is measured against: a bare Hummingbird server whose single-flag
/// route reads the request body and answers fixed bytes (an answer of the real server, captured by
/// `ofrep-wrk.sh`), with the HTTP/1 settings `switchyard serve` uses.
///
/// Usage: `OFREPBaseline PORT ANSWER_FILE`.
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let answer = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: OFREPBaseline PORT ANSWER_FILE\n".utf8))
    exit(64)
}
let bytes = ByteBuffer(bytes: answer)
let router = Router()
router.post("ofrep/v1/evaluate/flags/{key}") { request, context -> Response in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: bytes))
}
let app = Application(
    router: router,
    server: .http1(configuration: .init(idleTimeout: .seconds(30))),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "switchyard"))
try await app.runService()
