extension MurmurHash3 {
    /// Adds the UTF-8 bytes of a string, a 4-byte block at a time once aligned to the block.
    public mutating func writeUTF8(_ text: String) {
        let write = { (bytes: UnsafeBufferPointer<UInt8>) in self.write(contentsOf: bytes) }
        if text.utf8.withContiguousStorageIfAvailable(write) == nil {
            var copy = text
            copy.withUTF8(write)
        }
    }

    /// Adds bytes in bulk, four at a step whatever the bytes already pending.
    mutating func write(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 4 <= bytes.count {
                writeWord(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
                index += 4
            }
        }
        while index < bytes.count {
            write(bytes[index])
            index += 1
        }
    }
}
