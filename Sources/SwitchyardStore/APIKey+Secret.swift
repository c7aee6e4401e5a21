import Crypto

extension APIKey {
    /// A new random secret: `sy_admin_` or `sy_sdk_` and 40 base-62 characters (about 238 bits).
    package static func generateSecret(kind: Kind) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let body = String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
        return "sy_\(kind.rawValue)_\(body)"
    }

    /// A new public id: `key_` and 12 hex digits.
    package static func generateID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return "key_" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// The SHA-256 of a secret, in lowercase hex: all that is stored.
    package static func hash(secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
