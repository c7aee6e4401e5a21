import SwitchyardTestSupport
import Testing

@testable import switchyard

@Suite struct ServeOptionsTests {
    @Test(arguments: [
        (["--ofrep-rate-limit", "0"], "--ofrep-rate-limit must be at least 1 request per second per SDK key, not 0"),
        (["--ofrep-rate-limit=-5"], "--ofrep-rate-limit must be at least 1 request per second per SDK key, not -5"),
        (["--feed-keep-changes", "0"], "--feed-keep-changes must be at least 1 (the newest change is always kept), not 0"),
        (["--feed-keep-days=-1"], "--feed-keep-days must be 0 or more, not -1"),
        (["--rule-interval", "0.01"], "--rule-interval must be between 0.05 and 3600 seconds, not 0.01"),
        (["--port", "70000"], "--port must be between 0 and 65535, not 70000"),
        (["--idle-timeout", "0"], "--idle-timeout must be between 1 and 3600 seconds, not 0.0"),
        (["--demo", "--flags", "examples/flags.json"], "--demo and --flags both seed production"),
        (["--grpc-port", "8700"], "--grpc-port must differ from --port (both are 8700)"),
        (["--grpc-port", "70000"], "--grpc-port must be between 0 and 65535, not 70000"),
        (["--grpc-selector-key", "key_0123456789ab=flagSetId=web"], "--grpc-selector-key needs --grpc-port (or --demo)"),
        (["--grpc-port", "8015", "--grpc-selector-key", "key_0123456789ab"], "is not KEY_ID=SELECTOR"),
        (["--grpc-port", "8015", "--grpc-selector-key", "key_0123456789ab=source=db"], "the selector \"source=db\" cannot be applied"),
    ])
    func badLimitsAreRefusedNamingTheOption(arguments: [String], message: String) {
        #expect {
            try Serve.parse(arguments)
        } throws: { error in
            Serve.message(for: error).contains(message)
        }
    }

    @Test func limitsAreOptionalAndHaveDefaults() throws {
        let defaults = try Serve.parse([])
        #expect(defaults.ofrepRateLimit == nil)
        #expect(defaults.feedKeepChanges == 10_000)
        #expect(defaults.feedKeepDays == 30)
        let set = try Serve.parse(["--ofrep-rate-limit", "50", "--feed-keep-changes", "1", "--feed-keep-days", "0"])
        #expect(set.ofrepRateLimit == 50)
        #expect(set.feedKeepChanges == 1)
        #expect(set.feedKeepDays == 0)
    }

    @Test func gRPCIsOffUnlessAskedForAndOnInTheDemo() throws {
        #expect(try Serve.parse([]).grpcPort == nil)
        let bound = try Serve.parse(["--grpc-port", "8015", "--grpc-selector-key", "key_0123456789ab=flagSetId=web"])
        #expect(bound.grpcPort == 8015)
        #expect(bound.grpcSelectorKeys == ["key_0123456789ab=flagSetId=web"])
        #expect(try Serve.parse(["--demo", "--grpc-selector-key", "key_0123456789ab=flagSetId=web"]).demo)
    }
}
