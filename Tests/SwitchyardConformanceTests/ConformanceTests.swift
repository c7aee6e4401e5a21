import Foundation
import SwitchyardCore
import Testing

/// flagd's public conformance suites (flagd-testbed v3.9.0, read from `../shared/conformance`),
/// run against the engine under each fractional hashing generation.
@Suite struct ConformanceTests {
    static let testbed: URL = {
        if let override = ProcessInfo.processInfo.environment["SWITCHYARD_TESTBED"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/conformance/flagd-testbed")
    }()

    static func json(_ relativePath: String) throws -> JSONValue {
        let data = try Data(contentsOf: testbed.appendingPathComponent(relativePath))
        return try JSONValue(parsing: [UInt8](data))
    }

    /// `allFlags.json` as flagd's launchpad builds it: every `flags/*.json` but the `selector-` ones,
    /// `flags` and `$evaluators` merged.
    static func allFlags() throws -> JSONValue {
        let directory = testbed.appendingPathComponent("flags")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("selector-") }.sorted()
        var flags: [String: JSONValue] = [:]
        var evaluators: [String: JSONValue] = [:]
        for name in names {
            let document = try json("flags/\(name)")
            flags.merge(document["flags"]?.objectValue ?? [:]) { _, later in later }
            evaluators.merge(document["$evaluators"]?.objectValue ?? [:]) { _, later in later }
        }
        return .object(["flags": .object(flags), "$evaluators": .object(evaluators)])
    }

    static func features(_ directory: String, only names: [String]? = nil) throws -> [GherkinFeature] {
        let folder = testbed.appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".feature") && (names?.contains($0) ?? true) }.sorted()
        return try files.map { file in
            try Gherkin.parse(String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), file: "\(directory)/\(file)")
        }
    }

    /// The tags a generation excludes (spec §6): v1 always, `@deprecated`, and the other generation.
    static func excluded(_ hashing: FractionalHashing) -> Set<String> {
        ["fractional-v1", "deprecated", hashing == .v3 ? "fractional-v2" : "fractional-v3"]
    }

    static func run(_ features: [GherkinFeature], hashing: FractionalHashing, runner: ConformanceRunner) -> (ran: Int, failures: [String]) {
        var ran = 0
        var failures: [String] = []
        for feature in features {
            for scenario in feature.scenarios where scenario.tags.isDisjoint(with: excluded(hashing)) {
                ran += 1
                do { try runner.run(scenario) } catch { failures.append("\(error)") }
            }
        }
        return (ran, failures)
    }

    @Test(arguments: FractionalHashing.allCases)
    func evaluatorSuites(hashing: FractionalHashing) throws {
        let document = try FlagDocument(json: Self.json("evaluator/flags/testkit-flags.json"), options: LoadOptions(fractionalHashing: hashing))
        let runner = ConformanceRunner { _ in document }
        let (ran, failures) = Self.run(try Self.features("evaluator/gherkin"), hashing: hashing, runner: runner)
        print("flagd-testbed evaluator/gherkin, fractional \(hashing): \(ran) cases ran, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(ran >= 100)
    }

    @Test(arguments: FractionalHashing.allCases)
    func providerSuites(hashing: FractionalHashing) throws {
        let options = LoadOptions(fractionalHashing: hashing)
        let merged = try FlagDocument(json: Self.allFlags(), options: options)
        var sources: [String: FlagDocument] = [:]
        let runner = ConformanceRunner { selector in
            // The launchpad's sources: the merged set, or one raw file chosen by selector.
            guard let selector, selector != "flags/allFlags.json" else { return merged }
            guard let file = selector.removingPrefix("rawflags/") else {
                throw ConformanceRunner.Failure(description: "unknown selector \(selector)")
            }
            if let loaded = sources[file] { return loaded }
            let loaded = try FlagDocument(json: Self.json("flags/\(file)"), options: options)
            sources[file] = loaded
            return loaded
        }
        let suites = try Self.features("gherkin", only: ["targeting.feature", "evaluation.feature", "disabled.feature", "metadata.feature"])
        let (ran, failures) = Self.run(suites, hashing: hashing, runner: runner)
        print("flagd-testbed gherkin/{targeting,evaluation,disabled,metadata}, fractional \(hashing): \(ran) cases ran, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(ran >= 100)
    }
}
