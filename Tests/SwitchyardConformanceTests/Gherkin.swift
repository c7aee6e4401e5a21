/// A small Gherkin reader: features, backgrounds, scenarios and scenario outlines with their
/// examples expanded, tags inherited from feature to scenario to examples, and data tables.
struct GherkinFeature {
    let name: String
    let file: String
    let scenarios: [GherkinScenario]
}

/// One runnable case: a scenario, or one examples row of an outline.
struct GherkinScenario {
    let name: String
    /// Feature, scenario and examples tags, without `@`.
    let tags: Set<String>
    /// Background steps first, then the scenario's.
    let steps: [GherkinStep]
    /// Where the case comes from, for failure messages: `file:line` of the scenario or its examples row.
    let location: String
}

struct GherkinStep {
    let keyword: String
    let text: String
    /// Rows of the data table under the step, if any.
    let table: [[String]]
}

struct GherkinParseError: Error, CustomStringConvertible {
    let location: String
    let message: String
    var description: String { "\(location): \(message)" }
}

enum Gherkin {
    private static let stepKeywords = ["Given", "When", "Then", "And", "But", "*"]

    /// Reads a feature file's text.
    static func parse(_ text: String, file: String) throws -> GherkinFeature {
        var parser = Parser(file: file)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try parser.read(String(line), lineNumber: index + 1)
        }
        try parser.finishBlock()
        return GherkinFeature(name: parser.featureName, file: file, scenarios: parser.scenarios)
    }

    /// Splits a table row into trimmed cells, honouring Gherkin's `\|`, `\\` and `\n` escapes.
    static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaping = false
        var started = false
        for character in row.trimmingSpaces() {
            if escaping {
                switch character {
                case "|": current.append("|")
                case "n": current.append("\n")
                case "\\": current.append("\\")
                default: current.append("\\"); current.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "|" {
                if started { cells.append(current.trimmingSpaces()) }
                started = true
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }

    private struct Block {
        enum Kind { case background, scenario, outline }
        let kind: Kind
        let name: String
        let tags: Set<String>
        let line: Int
        var steps: [GherkinStep] = []
        var examples: [(tags: Set<String>, rows: [(cells: [String], line: Int)])] = []
    }

    private struct Parser {
        let file: String
        var featureName = ""
        var featureTags: Set<String> = []
        var pendingTags: Set<String> = []
        var background: [GherkinStep] = []
        var block: Block?
        var inExamples = false
        var scenarios: [GherkinScenario] = []

        init(file: String) {
            self.file = file
        }

        mutating func read(_ rawLine: String, lineNumber: Int) throws {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { return }
            if line.hasPrefix("@") {
                let tags = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    .prefix { !$0.hasPrefix("#") }
                    .map { String($0.dropFirst()) }
                pendingTags.formUnion(tags)
                return
            }
            if let name = line.removingPrefix("Feature:") {
                featureName = name.trimmingSpaces()
                featureTags = pendingTags
                pendingTags = []
                return
            }
            if line.hasPrefix("Background:") {
                try startBlock(.background, name: "Background", line: lineNumber)
                return
            }
            if let name = line.removingPrefix("Scenario Outline:") ?? line.removingPrefix("Scenario Template:") {
                try startBlock(.outline, name: name.trimmingSpaces(), line: lineNumber)
                return
            }
            if let name = line.removingPrefix("Scenario:") ?? line.removingPrefix("Example:") {
                try startBlock(.scenario, name: name.trimmingSpaces(), line: lineNumber)
                return
            }
            if line.hasPrefix("Examples:") || line.hasPrefix("Scenarios:") {
                guard block?.kind == .outline else {
                    throw GherkinParseError(location: "\(file):\(lineNumber)", message: "Examples outside a Scenario Outline")
                }
                block!.examples.append((tags: pendingTags, rows: []))
                pendingTags = []
                inExamples = true
                return
            }
            if line.hasPrefix("|") {
                if inExamples {
                    block!.examples[block!.examples.count - 1].rows.append((Gherkin.cells(line), lineNumber))
                } else if let last = block?.steps.popLast() {
                    block!.steps.append(GherkinStep(keyword: last.keyword, text: last.text, table: last.table + [Gherkin.cells(line)]))
                } else {
                    throw GherkinParseError(location: "\(file):\(lineNumber)", message: "table without a step")
                }
                return
            }
            if let keyword = Gherkin.stepKeywords.first(where: { line.hasPrefix($0 + " ") }) {
                guard block != nil else {
                    throw GherkinParseError(location: "\(file):\(lineNumber)", message: "step outside a scenario")
                }
                inExamples = false
                block!.steps.append(GherkinStep(keyword: keyword, text: String(line.dropFirst(keyword.count + 1)).trimmingSpaces(), table: []))
                return
            }
            if block == nil { return }  // free text under the Feature line
            throw GherkinParseError(location: "\(file):\(lineNumber)", message: "cannot read line: \(line)")
        }

        mutating func startBlock(_ kind: Block.Kind, name: String, line: Int) throws {
            try finishBlock()
            block = Block(kind: kind, name: name, tags: featureTags.union(pendingTags), line: line)
            pendingTags = []
            inExamples = false
        }

        mutating func finishBlock() throws {
            guard let current = block else { return }
            block = nil
            switch current.kind {
            case .background:
                background = current.steps
            case .scenario:
                scenarios.append(
                    GherkinScenario(name: current.name, tags: current.tags, steps: background + current.steps, location: "\(file):\(current.line)"))
            case .outline:
                for examples in current.examples {
                    guard let header = examples.rows.first?.cells else { continue }
                    for row in examples.rows.dropFirst() {
                        guard row.cells.count == header.count else {
                            throw GherkinParseError(
                                location: "\(file):\(row.line)", message: "row has \(row.cells.count) cells, header has \(header.count)")
                        }
                        let values = Dictionary(zip(header, row.cells), uniquingKeysWith: { first, _ in first })
                        let steps = current.steps.map { step in
                            GherkinStep(
                                keyword: step.keyword, text: Self.substitute(step.text, values),
                                table: step.table.map { $0.map { Self.substitute($0, values) } })
                        }
                        scenarios.append(
                            GherkinScenario(
                                name: current.name, tags: current.tags.union(examples.tags), steps: background + steps,
                                location: "\(file):\(row.line)"))
                    }
                }
            }
        }

        static func substitute(_ text: String, _ values: [String: String]) -> String {
            var result = text
            for (name, value) in values { result = result.replacingAll("<\(name)>", with: value) }
            return result
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }

    func removingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
