import Testing

@testable import SwitchyardCore

@Suite struct MurmurHash3Tests {
    @Test func matchesPublishedCheckValues() {
        #expect(MurmurHash3.hash("".utf8) == 0)
        #expect(MurmurHash3.hash("hello".utf8) == 0x248b_fa47)
        #expect(MurmurHash3.hash("The quick brown fox jumps over the lazy dog".utf8) == 0x2e4f_f723)
    }

    @Test(
        arguments: [("ejOoVL", 0), ("bY9fO-", 1), ("SI7p-", 2_147_483_647), ("6LvT0", 2_147_483_648), ("ceQdGm", 4_294_967_295)] as [(String, UInt32)]
    )
    func matchesTestbedEdgeKeys(key: String, hash: UInt32) {
        #expect(MurmurHash3.hash(key.utf8) == hash)
    }
}
