import SwitchyardCore

/// Prints rows as left-aligned columns with a header.
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

/// Prints JSON for scripts.
func printJSON(_ value: JSONValue) {
    print(value.serialized(pretty: true))
}

extension JSONValue {
    /// A short text for a table cell.
    var cell: String {
        switch self {
        case .string(let text): text
        case .null: "-"
        default: serialized()
        }
    }
}
