import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct UnreadableAnswerTests {
    @Test func flagsListFailsWhenTheServerAnswerCannotBeRead() async throws {
        let router = Router()
        router.get("api/v1/flags") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"flags": [nes"#)))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).testLive { client in
            let url = "http://127.0.0.1:\(try #require(client.port))"
            let list = try await CommandProcess.run(["flags", "list"], environment: ["SWITCHYARD_URL": url, "SWITCHYARD_KEY": "k"])
            #expect(list.status == 1)
            #expect(list.output.isEmpty)
            #expect(list.errors.hasPrefix("error: the server's answer (200) is not JSON this client can read: invalid JSON at line 1"))
        }
    }
}
