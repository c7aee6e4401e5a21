import SwitchyardCore

/// Prints rows as left-aligned columns with a header; cells come from ``JSONValue/cell``, which
/// makes them safe to print.
func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows {
        for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
        }.joined(separator: "  ")
    }
    print(line(header))
    for row in rows { print(line(row)) }
}

/// Prints JSON for scripts, with every character that could act on a terminal escaped.
func printJSON(_ value: JSONValue) {
    print(value.serialized(pretty: true).terminalSafe(keepingNewlines: true))
}

extension JSONValue {
    /// A short text for a table cell, safe to print (see ``Swift/String/terminalSafe(keepingNewlines:)``).
    var cell: String {
        switch self {
        case .string(let text): text.terminalSafe()
        case .null: "-"
        default: serialized().terminalSafe()
        }
    }
}

extension String {
    /// The text with every character that could move the cursor, recolour or reorder what a
    /// terminal shows (controls such as ESC, DEL and C1, format characters such as bidirectional
    /// overrides and zero-width spaces, line and paragraph separators) written as a JSON-style
    /// `\uXXXX` escape, so that text from a server cannot forge the output around it.
    ///
    /// - Parameter keepingNewlines: leave `\n` as it is (for multi-line output whose own strings
    ///   are already escaped, such as serialized JSON).
    func terminalSafe(keepingNewlines: Bool = false) -> String {
        func unsafe(_ scalar: Unicode.Scalar) -> Bool {
            if keepingNewlines, scalar == "\n" { return false }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
        guard unicodeScalars.contains(where: unsafe) else { return self }
        var escaped = ""
        for scalar in unicodeScalars {
            guard unsafe(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16, uppercase: true)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return escaped
    }
}
