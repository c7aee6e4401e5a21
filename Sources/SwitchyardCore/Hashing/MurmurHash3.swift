/// MurmurHash3, x86 32-bit variant, fed a byte at a time so callers can hash data without first
/// copying it into one buffer.
public struct MurmurHash3: ByteSink, Sendable {
    private var state: UInt32
    private var pending: UInt32 = 0
    private var pendingCount = 0
    private var length = 0

    /// Starts a hash with the given seed (flagd uses 0).
    public init(seed: UInt32 = 0) {
        state = seed
    }

    /// Hashes the bytes in one go.
    public static func hash(_ bytes: some Sequence<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var hasher = MurmurHash3(seed: seed)
        for byte in bytes { hasher.write(byte) }
        return hasher.finalize()
    }

    private static let c1: UInt32 = 0xcc9e_2d51
    private static let c2: UInt32 = 0x1b87_3593

    /// Adds one byte.
    public mutating func write(_ byte: UInt8) {
        pending |= UInt32(byte) << (8 * UInt32(pendingCount))
        pendingCount &+= 1
        length &+= 1
        guard pendingCount == 4 else { return }
        mix(pending)
        pending = 0
        pendingCount = 0
    }

    /// Adds four bytes (little-endian): completes the pending partial block and carries the rest.
    @inline(__always)
    mutating func writeWord(_ word: UInt32) {
        length &+= 4
        if pendingCount == 0 {
            mix(word)
        } else {
            let shift = 8 * UInt32(pendingCount)
            mix(pending | word << shift)
            pending = word >> (32 - shift)
        }
    }

    @inline(__always)
    private mutating func mix(_ block: UInt32) {
        state ^= Self.scramble(block)
        state = (state << 13 | state >> 19) &* 5 &+ 0xe654_6b64
    }

    /// The hash of everything written so far.
    public func finalize() -> UInt32 {
        var hash = state
        if pendingCount > 0 { hash ^= Self.scramble(pending) }
        hash ^= UInt32(truncatingIfNeeded: length)
        hash ^= hash >> 16
        hash &*= 0x85eb_ca6b
        hash ^= hash >> 13
        hash &*= 0xc2b2_ae35
        hash ^= hash >> 16
        return hash
    }

    private static func scramble(_ block: UInt32) -> UInt32 {
        var k = block &* c1
        k = k << 15 | k >> 17
        return k &* c2
    }
}

/// Something bytes can be written to: a hash, or a buffer in tests.
public protocol ByteSink {
    /// Appends one byte.
    mutating func write(_ byte: UInt8)
    /// Appends the UTF-8 bytes of a string.
    mutating func writeUTF8(_ text: String)
}

extension ByteSink {
    /// Appends the UTF-8 bytes of a string.
    public mutating func writeUTF8(_ text: String) {
        for byte in text.utf8 { write(byte) }
    }
}

extension Array: ByteSink where Element == UInt8 {
    public mutating func write(_ byte: UInt8) { append(byte) }
}
