import Testing

@testable import SwitchyardCore

/// The v3 hashing vectors of the flagd spec §4.1.2: CBOR bytes, MurmurHash3 and the bucket of
/// `fractional-basic-flag` (25 buckets of weight 4).
@Suite struct CBORTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let json: String
        let hex: String
        let hash: UInt32
        let bucket: Int
        var testDescription: String { json }
    }

    static let vectors: [Vector] = [
        Vector(json: #""user1""#, hex: "657573657231", hash: 3_686_933_882, bucket: 22),
        Vector(json: "123", hex: "187b", hash: 3_334_029_857, bucket: 20),
        Vector(json: "-2", hex: "21", hash: 1_919_294_708, bucket: 12),
        Vector(json: "-2.0", hex: "21", hash: 1_919_294_708, bucket: 12),
        Vector(json: "1.23", hex: "fb3ff3ae147ae147ae", hash: 2_393_468_550, bucket: 14),
        Vector(json: "1.0", hex: "01", hash: 3_831_157_163, bucket: 23),
        Vector(json: "-0.0", hex: "00", hash: 1_364_076_727, bucket: 8),
        Vector(json: "65505.0", hex: "19ffe1", hash: 2_842_410_070, bucket: 17),
        Vector(json: "0.00006103515625", hex: "f90400", hash: 3_625_736_809, bucket: 22),
        Vector(json: "3.4028234663852886e+38", hex: "fa7f7fffff", hash: 1_582_570_431, bucket: 10),
        Vector(json: "1e20", hex: "fb4415af1d78b58c40", hash: 3_152_684_119, bucket: 19),
        Vector(json: "true", hex: "f5", hash: 836_216_331, bucket: 5),
        Vector(json: #"{"z":1,"aa":2}"#, hex: "a2617a0162616102", hash: 3_447_691_377, bucket: 21),
    ]

    @Test(arguments: vectors)
    func encodesAndHashesLikeTheSpec(vector: Vector) throws {
        let value = try JSONValue(parsing: vector.json)
        var bytes: [UInt8] = []
        #expect(CBOR.encode(value, into: &bytes))
        #expect(bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() == vector.hex)
        let hash = MurmurHash3.hash(bytes)
        #expect(hash == vector.hash)
        #expect(Int((UInt64(hash) * 100) >> 32) / 4 + 1 == vector.bucket)
    }

    @Test func halfPrecisionCoversSubnormalsAndRejectsInexactValues() {
        #expect(CBOR.halfPrecisionBits(0x1p-24) == 0x0001)
        #expect(CBOR.halfPrecisionBits(-1.5) == 0xBE00)
        #expect(CBOR.halfPrecisionBits(65504) == 0x7BFF)
        #expect(CBOR.halfPrecisionBits(0.1) == nil)
        #expect(CBOR.halfPrecisionBits(65520) == nil)
    }

    @Test func refusesNonFiniteNumbers() {
        var bytes: [UInt8] = []
        #expect(!CBOR.encode(.double(.infinity), into: &bytes))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
