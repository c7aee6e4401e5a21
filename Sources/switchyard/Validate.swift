import ArgumentParser
import SwitchyardCore

/// `switchyard validate FILE`: loads a flagd document and reports every problem with its place.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a flagd flag-definition file.",
        discussion: """
            Exits 0 with a one-line summary when the file loads, 1 with every error (and its place) \
            when it does not. By default the rules are those of Switchyard's own API, stricter than \
            flagd; --flagd accepts whatever flagd loads and prints what it tolerates as warnings.
            """
    )

    @Argument(help: "The flag-definition file (flagd JSON).")
    var file: String

    @ArgumentParser.Flag(help: "Accept what flagd accepts; report tolerated problems as warnings.")
    var flagd = false

    func run() throws {
        let bytes = try readFile(file)
        let options = LoadOptions(strictness: flagd ? .flagd : .authoring)
        do {
            let document = try FlagDocument(bytes: bytes, options: options)
            for warning in document.warnings {
                printError("\(file): warning: \(warning)")
            }
            let disabled = document.flags.values.filter { $0.state == .disabled }.count
            let permanent = document.flags.values.filter(\.isPermanent).count
            print(
                "\(file): OK, \(document.flags.count) flags (\(disabled) disabled, \(permanent) permanent), "
                    + "\(document.evaluators.count) shared evaluators, fractional \(document.fractionalHashing.rawValue)")
        } catch {
            for problem in error.problems {
                printError("\(file): error: \(problem)")
            }
            throw ExitCode.failure
        }
    }
}
