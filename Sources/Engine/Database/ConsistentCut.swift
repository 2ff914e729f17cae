import DictDBAPI

/// Every table's storage at one moment: O(1) copy-on-write copies taken together under the tables' read
/// locks (see ``Database/consistentCut(whileLocked:)``), read afterwards without any lock.
///
/// When the cut goes away it lets go of its copies under each table's read lock again. A table's next
/// writer may then find the buffers unshared and write them in place; taking the lock orders that write
/// after every read made through the cut. The reference counts already order them on the hardware, but
/// they live in the uninstrumented runtime, so ThreadSanitizer would not see the order and would report
/// the write as a race with the reads.
final class ConsistentCut: RandomAccessCollection {
    typealias Element = (table: Table, storage: TableStorage)

    private var entries: [Element]

    init(_ entries: [Element]) {
        self.entries = entries
    }

    var startIndex: Int { 0 }
    var endIndex: Int { entries.count }
    subscript(position: Int) -> Element { entries[position] }

    deinit {
        for i in entries.indices {
            let table = entries[i].table
            table.lock.lockShared()
            entries[i].storage = TableStorage(primaryKey: table.primaryKey, keyState: .null)
            table.lock.unlock()
        }
    }
}
