import Foundation
@testable import SwitchyardClient
import Synchronization
import Testing

@Suite("Snapshot cell")
struct SnapshotCellTests {
    @Test("readers on many threads see every published snapshot whole and never go back in time")
    func concurrentReaders() async {
        let cell = SnapshotCell(FlagSnapshot(document: nil, version: 0, state: .offline))
        let published = 2_000
        let regressions = Counter()
        let finalReads = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var last: Int64 = -1
                    while last < Int64(published) {
                        let version = cell.read { $0.version } ?? -1
                        if version < last { regressions.value.add(1, ordering: .relaxed) }
                        last = version
                        await Task.yield()
                    }
                    finalReads.value.add(1, ordering: .relaxed)
                }
            }
            group.addTask {
                for version in 1...published {
                    cell.store(FlagSnapshot(document: nil, version: Int64(version), state: .stale))
                }
            }
        }
        #expect(regressions.value.load(ordering: .relaxed) == 0)
        #expect(finalReads.value.load(ordering: .relaxed) == 4)
        #expect(cell.read(\.state) == .stale)
    }

    @Test("more clients than a thread remembers still read their own snapshots")
    func manyCells() {
        let cells = (0..<(ThreadSnapshots.capacity * 3)).map { SnapshotCell(FlagSnapshot(document: nil, version: Int64($0), state: .stale)) }
        for _ in 0..<3 {
            for (index, cell) in cells.enumerated() {
                #expect(cell.read(\.version) == Int64(index))
            }
        }
        cells[5].store(FlagSnapshot(document: nil, version: 99, state: .ready))
        #expect(cells[5].read(\.version) == 99)
        #expect(cells[6].read(\.version) == 6)
    }
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
