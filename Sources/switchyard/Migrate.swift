import ArgumentParser
import Foundation
import Logging
import SwitchyardPostgres
import SwitchyardStore

/// `switchyard migrate --from FILE --to URL`: copies an SQLite database into an empty PostgreSQL one.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an SQLite database into an empty PostgreSQL database, then compare the row counts.",
        discussion: """
            Everything is copied in one transaction, versions and ids kept: environments, flags, \
            segments, keys, the change feed, the audit log, kill rules with their trips and CUSUM \
            progress, rollouts, aggregates, remembered outputs and batch ids. The target must hold \
            nothing yet (a fresh database, or one only `serve` has started on). Stop the SQLite server \
            first, so that nothing is written meanwhile. The rows per table are compared before the \
            commit: when a count differs nothing is stored and the command exits 1; else it prints them.
            """
    )

    @Option(help: "The SQLite database file to copy.")
    var from: String

    @Option(help: "The PostgreSQL database, postgres://user[:password]@host[:port]/database (SWITCHYARD_DB when left out).")
    var to: String?

    func run() async throws {
        var logger = Logger(label: "switchyard")
        logger.logLevel = .warning
        guard FileManager.default.fileExists(atPath: from) else { throw AdminClient.refuse("no SQLite database at \(from)") }
        guard let target = to ?? ProcessInfo.processInfo.environment["SWITCHYARD_DB"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("--to (or SWITCHYARD_DB) must name the PostgreSQL database.")
        }
        let url: PostgresURL
        do {
            url = try PostgresURL(target)
        } catch {
            throw AdminClient.refuse(error.description)
        }
        let contents: StoreContents
        do {
            contents = try await GRDBFlagStore.open(path: from, logger: logger).contents()
        } catch {
            throw AdminClient.refuse("cannot read the SQLite database \(from): \(error)")
        }
        let stored: [String: Int]
        do {
            stored = try await PostgresFlagStore.withStore(url: url, logger: logger) { store in try await store.importContents(contents) }
        } catch let error as PostgresStoreError {
            throw AdminClient.refuse(error.description)
        } catch let error as StoreError {
            throw AdminClient.refuse(error.description)
        }
        let expected = contents.counts
        print("table              sqlite      postgres")
        for table in expected.keys.sorted() {
            let sqliteCount = String(expected[table] ?? 0).padding(toLength: 10, withPad: " ", startingAt: 0)
            print("\(table.padding(toLength: 18, withPad: " ", startingAt: 0)) \(sqliteCount)  \(stored[table] ?? 0)")
        }
        print("Copied \(from) into \(url); every count matches.")
    }
}
