import ArgumentParser

@main
struct Switchyard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "Feature flags for AI features: flagd-compatible flags, OFREP, kill switches.",
        subcommands: [
            Validate.self, Eval.self, Serve.self, Flags.self, Import.self, Export.self, Audit.self, Keys.self, Propagation.self,
            Segments.self, Environments.self,
            Rules.self, Report.self, Rollout.self, Plan.self,
        ]
    )
}
