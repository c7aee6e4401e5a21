/// An immutable open-addressing table from strings to values, for lookups on the evaluation path.
///
/// Its hash reads eight bytes at a step and is cheap enough to compute per lookup; targeting
/// rules compute the hashes of the attribute names they read once, at load time. The hash is
/// seeded per process, so crafted keys cannot be made to collide across machines.
struct KeyTable<Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        let hash: UInt64
        let key: String
        let value: Value?
    }

    /// A power-of-two number of slots; a slot with hash 0 is empty.
    private let slots: [Slot]

    init(_ entries: some Sequence<(String, Value)>) {
        let entries = Array(entries)
        var capacity = 4
        while capacity < entries.count * 2 { capacity *= 2 }
        var slots = [Slot](repeating: Slot(hash: 0, key: "", value: nil), count: capacity)
        for (key, value) in entries {
            let hash = keyHash(key)
            var index = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[index].hash != 0, slots[index].key != key { index = (index + 1) & (capacity - 1) }
            slots[index] = Slot(hash: hash, key: key, value: value)
        }
        self.slots = slots
    }

    /// The value of `key`.
    subscript(key: String) -> Value? {
        self[key, hash: keyHash(key)]
    }

    /// The value of `key`, whose ``keyHash(_:)`` the caller already knows.
    subscript(key: String, hash hash: UInt64) -> Value? {
        slot(of: key, hash: hash).map { slots[$0].value! }
    }

    /// Lends the value of `key` (whose ``keyHash(_:)`` the caller knows) to `body` without copying it.
    func withValue<Result>(of key: String, hash: UInt64, _ body: (Value?) -> Result) -> Result {
        guard let index = slot(of: key, hash: hash) else { return body(nil) }
        return slots.withUnsafeBufferPointer { body($0[index].value) }
    }

    private func slot(of key: String, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slotHash = slots[index].hash
            if slotHash == 0 { return nil }
            if slotHash == hash, slots[index].key == key { return index }
            index = (index + 1) & mask
        }
    }
}

private let keyHashSeed = UInt64.random(in: .min ... .max)

/// A fast 64-bit hash of a string's UTF-8 bytes, eight at a time (multiply-xorshift), seeded per
/// process; never 0. Not cryptographic: for tables and fingerprints on hot paths.
public func keyHash(_ key: String) -> UInt64 {
    let hashBytes = { (bytes: UnsafeBufferPointer<UInt8>) -> UInt64 in
        var hash = keyHashSeed ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return hash | 1 }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        let remaining = bytes.count - offset
        if remaining > 0 {
            var tail: UInt64 = 0
            if bytes.count >= 8 {
                // The last eight bytes, shifted so that only the ones after the last full step remain.
                tail = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) >> (64 - 8 * UInt64(remaining))
            } else {
                for index in 0..<remaining { tail |= UInt64(bytes[index]) << (8 * UInt64(index)) }
            }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 32
        }
        return hash | 1
    }
    if let hash = key.utf8.withContiguousStorageIfAvailable(hashBytes) { return hash }
    var copy = key
    return copy.withUTF8(hashBytes)
}
