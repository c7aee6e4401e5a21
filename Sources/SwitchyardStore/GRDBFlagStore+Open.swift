import GRDB
import Logging
import SwitchyardGuard

extension GRDBFlagStore where Writer == DatabasePool {
    /// Opens (creating if needed) an SQLite file in WAL mode, with every commit synced to disk
    /// before it returns; `clock` is where it reads the times it records.
    package static func open(path: String, logger: Logger, clock: WallClock = .system) throws -> GRDBFlagStore<DatabasePool> {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return try GRDBFlagStore(DatabasePool(path: path, configuration: configuration), logger: logger, clock: clock)
    }
}
