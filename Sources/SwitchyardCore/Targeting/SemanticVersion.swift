/// A Semantic Versioning 2.0 version as `sem_ver` reads it: a leading `v`/`V` is dropped, partial
/// versions are padded (`1` is `1.0.0`), build metadata is ignored.
struct SemanticVersion: Comparable {
    let major: Substring
    let minor: Substring
    let patch: Substring
    let prerelease: [Substring]

    init?(_ text: String) {
        var body = Substring(text)
        if body.first == "v" || body.first == "V" { body = body.dropFirst() }
        if let plus = body.firstIndex(of: "+") {
            let build = body[body.index(after: plus)...]
            guard Self.validIdentifiers(build, numeric: false) else { return nil }
            body = body[..<plus]
        }
        var prereleaseText: Substring?
        if let dash = body.firstIndex(of: "-") {
            prereleaseText = body[body.index(after: dash)...]
            body = body[..<dash]
        }
        let core = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(core.count), core.allSatisfy(Self.isNumber) else { return nil }
        // Partial versions cannot carry a pre-release (as in Go's golang.org/x/mod/semver).
        if core.count < 3, prereleaseText != nil { return nil }
        major = core[0]
        minor = core.count > 1 ? core[1] : "0"
        patch = core.count > 2 ? core[2] : "0"
        if let prereleaseText {
            guard Self.validIdentifiers(prereleaseText, numeric: true) else { return nil }
            prerelease = prereleaseText.split(separator: ".", omittingEmptySubsequences: false)
        } else {
            prerelease = []
        }
    }

    private static func isNumber(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy(\.isASCIIDigit) && (part == "0" || part.first != "0")
    }

    private static func validIdentifiers(_ text: Substring, numeric: Bool) -> Bool {
        let identifiers = text.split(separator: ".", omittingEmptySubsequences: false)
        return identifiers.allSatisfy { identifier in
            guard !identifier.isEmpty, identifier.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }) else {
                return false
            }
            return !numeric || !identifier.allSatisfy(\.isASCIIDigit) || isNumber(identifier)
        }
    }

    static func < (left: SemanticVersion, right: SemanticVersion) -> Bool {
        for (a, b) in [(left.major, right.major), (left.minor, right.minor), (left.patch, right.patch)] where a != b {
            return compareNumbers(a, b) < 0
        }
        switch (left.prerelease.isEmpty, right.prerelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): break
        }
        for (a, b) in zip(left.prerelease, right.prerelease) where a != b {
            let aNumeric = a.allSatisfy(\.isASCIIDigit)
            let bNumeric = b.allSatisfy(\.isASCIIDigit)
            switch (aNumeric, bNumeric) {
            case (true, true): return compareNumbers(a, b) < 0
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a < b
            }
        }
        return left.prerelease.count < right.prerelease.count
    }

    static func == (left: SemanticVersion, right: SemanticVersion) -> Bool {
        left.major == right.major && left.minor == right.minor && left.patch == right.patch
            && left.prerelease == right.prerelease
    }

    /// Compares digit strings of any length without converting them.
    private static func compareNumbers(_ a: Substring, _ b: Substring) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    /// `sem_ver`: `null` for an invalid version or an unknown operator.
    static func compare(_ left: JSONValue, _ op: JSONValue, _ right: JSONValue) -> JSONValue {
        guard case .string(let symbol) = op, let a = version(left), let b = version(right) else { return .null }
        switch symbol {
        case "=": return .bool(a == b)
        case "!=": return .bool(a != b)
        case "<": return .bool(a < b)
        case "<=": return .bool(a <= b)
        case ">": return .bool(a > b)
        case ">=": return .bool(a >= b)
        case "^": return .bool(a.major == b.major)
        case "~": return .bool(a.major == b.major && a.minor == b.minor)
        default: return .null
        }
    }

    private static func version(_ value: JSONValue) -> SemanticVersion? {
        switch value {
        case .string, .integer, .double: SemanticVersion(value.logicText)
        default: nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
