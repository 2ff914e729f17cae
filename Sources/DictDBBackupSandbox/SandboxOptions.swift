import DictDB

/// The sandbox's command line.
struct SandboxOptions {
    var directory: String?
    var codec = "json+gzip"
    var intervalMillis = 40
    var spacingMillis = 10
    var attempts = 12
    var failAttempts: [Int] = [3, 4, 5]
    var keep = 4
    var maxAgeMillis: Int?
    var records = 200
    var onDisk = false
    var corruptNewest = true
    var measure: Int?
    var help = false

    static let usage = """
        Usage: dictdb-backup-sandbox [options]

        Runs the backup manager against a live database for a few seconds, with short intervals, induced
        failures and retention, and prints what it did: each backup (name, size, time, sequence, what
        retention pruned), each failure (attempt, backoff delay), each skip; then the backups kept, a
        restore of the newest valid one (after damaging the newest, to show it is skipped), and a
        retention simulation over three days of hourly backups. Exits 0 when everything behaved.

        Options:
          --dir DIR             keep the database and backups under DIR (default: a temporary directory)
          --codec NAME          backup codec: json, msgpack, json+gzip, msgpack+lz4... (default json+gzip)
          --interval-ms N       backup interval in ms (default 40)
          --spacing-ms N        least time between change-triggered backups in ms (default 10)
          --attempts N          stop after N attempts, skips and failures included (default 12)
          --fail-attempts LIST  comma-separated write attempts that fail with ENOSPC through a
                                FaultInjectingFileSystem, or 'none' (default 3,4,5)
          --keep N              retention: keep the N newest backups (default 4)
          --max-age-ms N        retention: delete backups older than N ms (default: no age limit)
          --records N           records in the database at the start (default 200)
          --on-disk             back up an on-disk database (journal sequences in the names)
          --no-corrupt          do not damage the newest backup before the restore
          --measure N           instead: time and size of one backup of N records in json, json+gzip,
                                msgpack and msgpack+lz4 (write, verifying read, rename)
          -h, --help            show this help
        """

    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws(DictDBError) -> SandboxOptions {
        var options = SandboxOptions()
        var rest = arguments[...]
        func value(_ name: String) throws(DictDBError) -> String {
            guard let value = rest.popFirst() else { throw usageError("\(name) needs a value") }
            return value
        }
        func number(_ name: String) throws(DictDBError) -> Int {
            let text = try value(name)
            guard let number = Int(text), number >= 0 else { throw usageError("\(name) needs a number, not '\(text)'") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help": options.help = true
            case "--dir": options.directory = try value(argument)
            case "--codec": options.codec = try value(argument)
            case "--interval-ms": options.intervalMillis = max(1, try number(argument))
            case "--spacing-ms": options.spacingMillis = try number(argument)
            case "--attempts": options.attempts = max(1, try number(argument))
            case "--fail-attempts":
                let list = try value(argument)
                options.failAttempts = []
                if list != "none" {
                    for item in list.split(separator: ",") {
                        guard let attempt = Int(item), attempt >= 1 else {
                            throw usageError("--fail-attempts needs attempt numbers from 1, not '\(item)'")
                        }
                        options.failAttempts.append(attempt)
                    }
                }
            case "--keep": options.keep = max(1, try number(argument))
            case "--max-age-ms": options.maxAgeMillis = try number(argument)
            case "--records": options.records = try number(argument)
            case "--on-disk": options.onDisk = true
            case "--no-corrupt": options.corruptNewest = false
            case "--measure": options.measure = max(1, try number(argument))
            default: throw usageError("unknown argument '\(argument)'")
            }
        }
        return options
    }

    private static func usageError(_ message: String) -> DictDBError {
        DictDBError(.invalidArgument, message)
    }
}
