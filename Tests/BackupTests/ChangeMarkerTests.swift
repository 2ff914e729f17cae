import Backup
import DictDB
import Testing

/// The in-memory change counter that lets "skip when unchanged" work without a journal.
@Suite struct ChangeMarkerTests {
    @Test func theCounterMovesWithEveryCommittedChangeAndNeverGoesBack() throws {
        let db = Database()
        var last = db.backupChangeMarker.sequence
        func expectMoved(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let now = db.backupChangeMarker.sequence
            #expect(now > last, "\(what) did not move the counter", sourceLocation: sourceLocation)
            last = now
        }
        let accounts = try db.createTable("accounts")
        expectMoved("createTable")
        try accounts.insert(["balance": 1])
        expectMoved("insert")
        try accounts.update(key: 1, set: ["balance": 2])
        expectMoved("update")
        try accounts.createIndex(on: "balance")
        expectMoved("createIndex")
        try db.transaction { tx in try tx.table("accounts").insert(["balance": 3]) }
        expectMoved("transaction")
        _ = try accounts.delete(key: 1)
        expectMoved("delete")
        try db.dropTable("accounts")
        expectMoved("dropTable")
        #expect(db.backupChangeMarker.generation == 0)

        // Failed and rolled-back work is no change.
        let other = try db.createTable("other")
        expectMoved("createTable")
        #expect(throws: DictDBError.self) {
            try other.insert(["id": 1])
            try other.insert(["id": 1])
        }
        last = db.backupChangeMarker.sequence
        try? db.transaction { tx in
            try tx.table("other").insert(["id": 2])
            throw DictDBError(.invalidState, "roll back")
        }
        #expect(db.backupChangeMarker.sequence == last)
    }

    @Test func droppingAndRecreatingATableNeverRepeatsAMarker() throws {
        let db = Database()
        var seen = Set<Int64>()
        for round in 0..<5 {
            let table = try db.createTable("t")
            #expect(seen.insert(db.backupChangeMarker.sequence).inserted)
            for value in 0..<3 {
                try table.insert(["round": .int(Int64(round)), "value": .int(Int64(value))])
                #expect(seen.insert(db.backupChangeMarker.sequence).inserted)
            }
            try db.dropTable("t")
            #expect(seen.insert(db.backupChangeMarker.sequence).inserted)
        }
    }

    @Test func readingTheMarkerIsNoChange() throws {
        let db = Database()
        try db.createTable("t").insert(["a": 1])
        let marker = db.backupChangeMarker
        _ = try db.table("t").select()
        #expect(db.backupChangeMarker == marker)
        #expect(marker.hasSameContent(as: BackupChangeMarker(generation: 7, sequence: marker.sequence)))
        #expect(marker.description == "g0 s\(marker.sequence)")
    }
}
