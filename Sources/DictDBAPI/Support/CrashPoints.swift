#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Named places in the durable code paths where a test can make the process die on the spot, as a power
/// cut or `kill -9` would, to prove that recovery copes with a crash at exactly that step.
///
/// Armed by the environment: `DICTDB_CRASH_AT=checkpoint.afterRotate:3` makes the process `_exit(77)` the
/// third time it reaches that point. Unarmed (the normal case), a point costs one load and one compare.
package enum CrashPoint {
    /// The exit status of a deliberate crash.
    package static let exitStatus: Int32 = 77

    /// Every point the engine has, for tests that enumerate them.
    package static let all = [
        "journal.beforeWrite", "journal.midRecord", "journal.afterWrite", "journal.afterSync",
        "transaction.afterWrite", "checkpoint.afterRotate", "checkpoint.afterSnapshot", "checkpoint.afterCleanup",
        "snapshot.afterTempWrite", "snapshot.afterFsync", "snapshot.afterRename", "snapshot.afterDirectorySync",
        "open.afterTruncate",
    ]

    private struct Armed {
        var name: String
        var hit: Int
    }

    private static let armed: Armed? = {
        guard let raw = getenv("DICTDB_CRASH_AT") else { return nil }
        let text = String(cString: raw)
        guard let colon = text.lastIndex(of: ":"), let hit = Int(text[text.index(after: colon)...]), hit > 0
        else { return Armed(name: text, hit: 1) }
        return Armed(name: String(text[..<colon]), hit: hit)
    }()

    private static let hits = LockedValue(0)

    /// Whether the process should die at `name` now (counts the visit when armed for it).
    package static func isDue(_ name: String) -> Bool {
        guard let armed, armed.name == name else { return false }
        return hits.withLock { count in
            count += 1
            return count == armed.hit
        }
    }

    /// Dies at once if armed for `name` and this is the chosen visit.
    package static func hit(_ name: String) {
        if isDue(name) { crash() }
    }

    /// Ends the process without running any cleanup, as a crash would.
    package static func crash() -> Never {
        _exit(exitStatus)
    }
}
