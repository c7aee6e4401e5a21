import Foundation

/// What a run of the `switchyard` binary printed, and how it exited.
struct CommandResult: Sendable {
    let status: Int32
    let output: String
    let errors: String
}

/// The built `switchyard` binary, run as a user runs it: standard output and error go to files, so
/// neither can fill up, and waiting for the exit holds no thread.
final class CommandProcess {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private let process = Process()
    private let directory: URL
    private let exits: AsyncStream<Int32>

    /// Starts `switchyard ARGUMENTS` with `input` on standard input; of the `SWITCHYARD_` variables it
    /// sees only those in `environment`.
    init(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        let files = ["stdin", "stdout", "stderr"].map { directory.appendingPathComponent($0) }
        try Data(input.utf8).write(to: files[0])
        for file in files.dropFirst() { try Data().write(to: file) }
        process.executableURL = Self.packageRoot.appendingPathComponent(".build/debug/switchyard")
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SWITCHYARD_") }.merging(environment) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        let (exits, exited) = AsyncStream.makeStream(of: Int32.self)
        self.exits = exits
        process.terminationHandler = { process in
            exited.yield(process.terminationStatus)
            exited.finish()
        }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `switchyard ARGUMENTS` to its end.
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) async throws -> CommandResult {
        try await CommandProcess(arguments, input: input, environment: environment).result()
    }

    /// What it has written to standard output so far.
    var output: String { text("stdout") }

    /// What it has written to standard error so far.
    var errors: String { text("stderr") }

    /// Asks it to stop, as SIGTERM does.
    func terminate() { process.terminate() }

    /// Waits for the exit, then returns the status and everything it printed.
    func result() async -> CommandResult {
        var status: Int32 = -1
        for await code in exits { status = code }
        return CommandResult(status: status, output: output, errors: errors)
    }

    private func text(_ name: String) -> String {
        String(decoding: (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
    }
}
