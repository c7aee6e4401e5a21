import ArgumentParser
import SwitchyardCore

@main
struct Switchyard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "Feature flags for AI features: flagd-compatible flags, OFREP, kill switches.",
        version: Switchyard.version,
        subcommands: [
            Validate.self, Eval.self, Serve.self, Flags.self, Import.self, Export.self, Audit.self, Keys.self, Propagation.self,
            Segments.self, Environments.self, Migrate.self,
            Rules.self, Report.self, Rollout.self, Plan.self,
        ]
    )

    /// The release this binary was built from.
    static let version = "0.4.0"

    /// Parses and runs the command; an unknown subcommand gets "did you mean" and exit 64 first.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let (unknown, known) = unknownSubcommand(in: arguments) {
            printError("error: unknown command '\(unknown)'\(Suggestion.hint(for: unknown, among: known)) (see 'switchyard --help')")
            exit(withError: ExitCode.validationFailure)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// The first word that should name a subcommand and does not, with the names it could be.
    static func unknownSubcommand(in arguments: [String]) -> (String, [String])? {
        var command: any ParsableCommand.Type = Switchyard.self
        for word in arguments {
            guard !word.hasPrefix("-"), word != "help" else { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            let names = subcommands.flatMap { [$0._commandName] + $0.configuration.aliases }
            guard let next = subcommands.first(where: { ([$0._commandName] + $0.configuration.aliases).contains(word) }) else {
                return (word, names)
            }
            command = next
        }
        return nil
    }
}
