import Foundation
import HummingbirdTesting
import SwitchyardTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct IdleTimeoutTests {
    /// Connects to the port, sends `text`, and waits (at most 10 s) for the server to answer or close:
    /// the bytes it sent before closing, or `nil` when it kept the connection open all that time.
    /// The blocking socket calls run on a thread of their own, never on the tasks' shared threads.
    static func exchange(_ text: String, with port: Int) async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: blockingExchange(text, with: port)) }.start()
        }
    }

    private static func blockingExchange(_ text: String, with port: Int) -> [UInt8]? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        _ = text.withCString { send(descriptor, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return received }
            if count < 0 { return nil }
            received += buffer[0..<count]
        }
    }

    @Test func aHalfSentRequestIsClosed() async throws {
        let test = try await TestServer(idleTimeout: .milliseconds(300))
        try await test.application().testLive { client in
            let port = try #require(client.port)
            let received = await Self.exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Half: ", with: port)
            #expect(received == [])
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterItsAnswer() async throws {
        let test = try await TestServer(idleTimeout: .milliseconds(300))
        try await test.application().testLive { client in
            let port = try #require(client.port)
            let received = try #require(await Self.exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", with: port))
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }
}
