import Foundation
import GRDB
import SwitchyardCore
@testable import SwitchyardStore
import Testing

@Suite struct SegmentVersionTests {
    let admin = Author(id: "key_test", name: "tester")

    static let pros: JSONValue = ["==": [["var": "plan"], "pro"]]
    static let paying: JSONValue = ["in": [["var": "plan"], ["pro", "team"]]]

    private func segment(_ name: String, in store: any FlagStore) async throws -> StoredSegment? {
        try await store.state(of: "production").segments[name]
    }

    @Test(arguments: StoreBackend.configured) func aSegmentStartsAtVersionOneAndEveryWriteRaisesIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createSegment(name: "pros", rule: Self.pros), to: "production", by: admin, reason: "launch")
            #expect(try await segment("pros", in: store) == StoredSegment(name: "pros", rule: Self.pros, version: 1))
            _ = try await store.apply(.updateSegment(name: "pros", rule: Self.paying, expectedVersion: 1), to: "production", by: admin, reason: nil)
            #expect(try await segment("pros", in: store) == StoredSegment(name: "pros", rule: Self.paying, version: 2))
            _ = try await store.apply(.updateSegment(name: "pros", rule: Self.pros, expectedVersion: nil), to: "production", by: admin, reason: nil)
            #expect(try await segment("pros", in: store)?.version == 3)

            let entries = try await store.auditEntries(in: "production", flag: nil, limit: 10)
            #expect(entries.map(\.action) == ["segment.update", "segment.update", "segment.create"])
            #expect(entries[2].before == nil)
            #expect(entries[2].after == ["name": "pros", "rule": Self.pros, "version": 1])
            #expect(entries[2].reason == "launch")
            #expect(entries[1].before == ["name": "pros", "rule": Self.pros, "version": 1])
            #expect(entries[1].after == ["name": "pros", "rule": Self.paying, "version": 2])
            #expect(entries.allSatisfy { $0.version != nil })
        }
    }

    @Test(arguments: StoreBackend.configured) func aStaleVersionIsAConflictAndChangesNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createSegment(name: "pros", rule: Self.pros), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.updateSegment(name: "pros", rule: Self.paying, expectedVersion: 1), to: "production", by: admin, reason: nil)
            let feed = try await store.changes(in: "production", after: 0, limit: 10)
            let audit = try await store.auditEntries(in: "production", flag: nil, limit: 10)

            let staleUpdate = try await #require(throws: StoreError.self) {
                try await store.apply(.updateSegment(name: "pros", rule: Self.pros, expectedVersion: 1), to: "production", by: admin, reason: nil)
            }
            #expect(staleUpdate.kind == .versionConflict)
            #expect(staleUpdate.currentVersion == 2)
            let staleDelete = try await #require(throws: StoreError.self) {
                try await store.apply(.deleteSegment(name: "pros", expectedVersion: 1), to: "production", by: admin, reason: nil)
            }
            #expect(staleDelete.kind == .versionConflict)
            #expect(try await segment("pros", in: store) == StoredSegment(name: "pros", rule: Self.paying, version: 2))
            #expect(try await store.changes(in: "production", after: 0, limit: 10) == feed)
            #expect(try await store.auditEntries(in: "production", flag: nil, limit: 10) == audit)

            _ = try await store.apply(.deleteSegment(name: "pros", expectedVersion: 2), to: "production", by: admin, reason: nil)
            #expect(try await segment("pros", in: store) == nil)
            let deletion = try #require(try await store.auditEntries(in: "production", flag: nil, limit: 1).first)
            #expect(deletion.action == "segment.delete")
            #expect(deletion.before == ["name": "pros", "rule": Self.paying, "version": 2])
            #expect(deletion.after == nil)
        }
    }

    @Test(arguments: StoreBackend.configured) func createRefusesAnExistingSegmentAndUpdateAndDeleteAMissingOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createSegment(name: "pros", rule: Self.pros), to: "production", by: admin, reason: nil)
            let again = try await #require(throws: StoreError.self) {
                try await store.apply(.createSegment(name: "pros", rule: Self.paying), to: "production", by: admin, reason: nil)
            }
            #expect(again.kind == .alreadyExists)
            #expect(try await segment("pros", in: store)?.rule == Self.pros)
            let update = try await #require(throws: StoreError.self) {
                try await store.apply(.updateSegment(name: "nope", rule: Self.pros, expectedVersion: 1), to: "production", by: admin, reason: nil)
            }
            #expect(update.kind == .notFound)
            let delete = try await #require(throws: StoreError.self) {
                try await store.apply(.deleteSegment(name: "nope", expectedVersion: nil), to: "production", by: admin, reason: nil)
            }
            #expect(delete.kind == .notFound)
        }
    }

    @Test(arguments: StoreBackend.configured) func anImportKeepsTheVersionOfAnUnchangedSegmentAndRaisesAChangedOne(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createSegment(name: "pros", rule: Self.pros), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.createSegment(name: "teams", rule: Self.paying), to: "production", by: admin, reason: nil)
            let document: JSONValue = ["flags": [:], "$evaluators": ["pros": Self.pros, "teams": Self.pros, "fresh": Self.paying]]
            _ = try await store.apply(.replaceDocument(document, strictness: .authoring), to: "production", by: admin, reason: nil)
            let segments = try await store.state(of: "production").segments
            #expect(segments["pros"]?.version == 1)
            #expect(segments["teams"] == StoredSegment(name: "teams", rule: Self.pros, version: 2))
            #expect(segments["fresh"]?.version == 1)
        }
    }

    @Test func theMigrationGivesEverySegmentStoredBeforeItVersionOne() async throws {
        let queue = try DatabaseQueue()
        try GRDBFlagStore<DatabaseQueue>.migrator.migrate(queue, upTo: "v3-change-pruning")
        let flag: JSONValue = [
            "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
            "targeting": ["if": [["$ref": "pros"], "on", "off"]],
        ]
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO environment (name, created_at) VALUES ('production', ?), ('staging', ?)", arguments: [Date(), Date()])
            try db.execute(
                sql: "INSERT INTO segment (environment, name, rule) VALUES ('production', 'pros', ?), ('staging', 'pros', ?)",
                arguments: [Self.pros.serialized(), Self.paying.serialized()])
            try db.execute(
                sql: "INSERT INTO flag (environment, key, definition, version, created_at, updated_at) VALUES ('production', 'summary', ?, 4, ?, ?)",
                arguments: [flag.serialized(), Date(), Date()])
        }

        let store = try GRDBFlagStore(queue, logger: StoreBackend.quietLogger)
        let production = try await store.state(of: "production")
        #expect(production.segments == ["pros": StoredSegment(name: "pros", rule: Self.pros, version: 1)])
        #expect(production.flags["summary"]?.definition == flag)
        #expect(production.flags["summary"]?.version == 4)
        #expect(production.servedDocument["$evaluators"] == ["pros": Self.pros])
        #expect(try await store.state(of: "staging").segments == ["pros": StoredSegment(name: "pros", rule: Self.paying, version: 1)])

        let stale = try await #require(throws: StoreError.self) {
            try await store.apply(.updateSegment(name: "pros", rule: Self.paying, expectedVersion: 2), to: "production", by: admin, reason: nil)
        }
        #expect(stale.currentVersion == 1)
        _ = try await store.apply(.updateSegment(name: "pros", rule: Self.paying, expectedVersion: 1), to: "production", by: admin, reason: nil)
        #expect(try await store.state(of: "production").segments["pros"]?.version == 2)
    }
}
