import Foundation
import SwitchyardCore
import Testing

/// The flag-key hash the engine's tables and the client's exposure fingerprints rely on.
@Suite struct KeyHashTests {
    @Test("every byte counts, at every length and position")
    func everyByteChangesTheHash() {
        for length in 1...40 {
            let base = String(repeating: "a", count: length)
            var seen: Set<UInt64> = [keyHash(base)]
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "b")
                #expect(seen.insert(keyHash(String(decoding: bytes, as: UTF8.self))).inserted, "length \(length), byte \(position)")
            }
        }
    }

    @Test("equal strings hash equally however they are stored, and never to 0")
    func equalStringsHashEqually() {
        for text in ["", "on", "targetingKey", "ai-document-summary", "gpt-4o-2024-08-06", "ünïcödé-flag-κλειδί"] {
            let bridged = NSString(string: text) as String
            let sliced = String(("x" + text + "y").dropFirst().dropLast())
            #expect(keyHash(text) == keyHash(bridged))
            #expect(keyHash(text) == keyHash(sliced))
            #expect(keyHash(text) != 0)
        }
        #expect(keyHash("user-1") != keyHash("user-2"))
    }
}
