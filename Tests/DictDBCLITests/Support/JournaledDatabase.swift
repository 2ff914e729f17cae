import DictDB
import Foundation

/// A database directory whose journal still holds entries, as a crash leaves it.
///
/// `dictdb` checkpoints when it closes a database, so every directory it leaves has an empty journal. This
/// writes through the library instead and copies the files while the database is still open (each write
/// synced: sync policy `always`), which gives the state a killed process would leave.
enum JournaledDatabase {
    /// Creates `path` with a table `t` and `records` records `{"n": i, "text": "entry i"}`, all of them only
    /// in the journal. Returns the journal's file name.
    @discardableResult
    static func make(at path: String, records: Int, journalFormat: String = "binary") throws -> String {
        let live = path + "-live"
        var options = OpenOptions()
        options.syncPolicy = "always"
        options.journalFormat = journalFormat
        let db = try Database.open(at: live, options: options)
        do {
            _ = try db.execute("CREATE TABLE t")
            for i in 1...records {
                _ = try db.execute("INSERT INTO t VALUES {\"n\": \(i), \"text\": \"entry \(i)\"}")
            }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            for name in try FileManager.default.contentsOfDirectory(atPath: live) where name != "dictdb.lock" {
                try FileManager.default.copyItem(atPath: live + "/" + name, toPath: path + "/" + name)
            }
        } catch {
            try? db.close()
            throw error
        }
        try db.close()
        try FileManager.default.removeItem(atPath: live)
        let journal = try FileManager.default.contentsOfDirectory(atPath: path).first { $0.hasPrefix("journal-") }
        guard let journal else { throw CLIProcessError(description: "no journal in \(path)") }
        return journal
    }
}
