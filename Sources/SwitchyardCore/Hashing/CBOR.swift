/// RFC 8949 core deterministic encoding of JSON values, the hashing input of `fractional` v3.
///
/// Whole-number doubles in [−2^63, 2^64) are encoded as integers, other doubles in the shortest
/// of half, single and double precision that holds them exactly, object keys in bytewise order of
/// their encodings.
enum CBOR {
    /// Writes the encoding of `value`; returns `false` (having written an unspecified prefix) for
    /// values CBOR hashing does not define: NaN and infinities.
    static func encode(_ value: JSONValue, into sink: inout some ByteSink) -> Bool {
        switch value {
        case .null: sink.write(0xF6)
        case .bool(let flag): sink.write(flag ? 0xF5 : 0xF4)
        case .integer(let number): encodeInteger(number, into: &sink)
        case .double(let number): return encodeDouble(number, into: &sink)
        case .string(let text): encodeString(text, into: &sink)
        case .array(let elements):
            writeHead(major: 4, UInt64(elements.count), into: &sink)
            for element in elements where !encode(element, into: &sink) { return false }
        case .object(let members):
            writeHead(major: 5, UInt64(members.count), into: &sink)
            let keys = members.keys.sorted { left, right in
                let leftCount = left.utf8.count
                let rightCount = right.utf8.count
                if leftCount != rightCount { return leftCount < rightCount }
                return left.utf8.lexicographicallyPrecedes(right.utf8)
            }
            for key in keys {
                encodeString(key, into: &sink)
                if !encode(members[key]!, into: &sink) { return false }
            }
        }
        return true
    }

    static func encodeString(_ text: String, into sink: inout some ByteSink) {
        writeHead(major: 3, UInt64(text.utf8.count), into: &sink)
        sink.writeUTF8(text)
    }

    static func encodeInteger(_ number: Int64, into sink: inout some ByteSink) {
        if number >= 0 {
            writeHead(major: 0, UInt64(number), into: &sink)
        } else {
            writeHead(major: 1, UInt64(bitPattern: ~number), into: &sink)
        }
    }

    static func encodeDouble(_ number: Double, into sink: inout some ByteSink) -> Bool {
        guard number.isFinite else { return false }
        if number == number.rounded(.towardZero), number >= -9_223_372_036_854_775_808.0, number < 18_446_744_073_709_551_616.0 {
            if number < 0 {
                encodeInteger(Int64(number), into: &sink)
            } else {
                writeHead(major: 0, UInt64(number), into: &sink)
            }
            return true
        }
        if let half = halfPrecisionBits(number) {
            sink.write(0xF9)
            writeBigEndian(UInt64(half), bytes: 2, into: &sink)
        } else if let single = Float(exactly: number) {
            sink.write(0xFA)
            writeBigEndian(UInt64(single.bitPattern), bytes: 4, into: &sink)
        } else {
            sink.write(0xFB)
            writeBigEndian(number.bitPattern, bytes: 8, into: &sink)
        }
        return true
    }

    /// The IEEE 754 half-precision bits of `number` when it is exactly representable there.
    static func halfPrecisionBits(_ number: Double) -> UInt16? {
        let magnitude = abs(number)
        let sign: UInt16 = number < 0 ? 0x8000 : 0
        guard magnitude >= 0x1p-24, magnitude <= 65504 else { return nil }
        let exponent = Int(magnitude.exponent)
        if exponent >= -14 {
            let scaled = magnitude * Double(sign: .plus, exponent: 10 - exponent, significand: 1)
            guard scaled == scaled.rounded() else { return nil }
            return sign | UInt16(exponent + 15) << 10 | (UInt16(scaled) - 1024)
        }
        let scaled = magnitude * 0x1p24
        guard scaled == scaled.rounded() else { return nil }
        return sign | UInt16(scaled)
    }

    static func writeHead(major: UInt8, _ argument: UInt64, into sink: inout some ByteSink) {
        let type = major << 5
        switch argument {
        case 0..<24:
            sink.write(type | UInt8(argument))
        case 24...0xFF:
            sink.write(type | 24)
            sink.write(UInt8(argument))
        case 0x100...0xFFFF:
            sink.write(type | 25)
            writeBigEndian(argument, bytes: 2, into: &sink)
        case 0x1_0000...0xFFFF_FFFF:
            sink.write(type | 26)
            writeBigEndian(argument, bytes: 4, into: &sink)
        default:
            sink.write(type | 27)
            writeBigEndian(argument, bytes: 8, into: &sink)
        }
    }

    private static func writeBigEndian(_ value: UInt64, bytes: Int, into sink: inout some ByteSink) {
        for index in stride(from: bytes - 1, through: 0, by: -1) {
            sink.write(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }
}
