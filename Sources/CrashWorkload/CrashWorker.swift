import DictDB
import DictDBAPI
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `dictdb-crash-worker` does for each command; the executable only parses and calls these.
public enum CrashWorker {
    /// Exit status: the database did not open.
    public static let openFailed: Int32 = 3
    /// Exit status: an op threw an error the workload does not expect.
    public static let operationFailed: Int32 = 4
    /// Exit status: closing the database failed.
    public static let closeFailed: Int32 = 5

    /// Runs a parsed command and returns the process exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let command: WorkerCommand
        do {
            command = try WorkerCommand.parse(arguments)
        } catch {
            writeError("dictdb-crash-worker: \(error)\n\n\(WorkerCommand.usage)\n")
            return 2
        }
        switch command {
        case .help:
            writeOutput(WorkerCommand.usage + "\n")
            return 0
        case .run(let options):
            return run(options)
        case .loop(let options):
            return loop(options, executable: currentExecutable())
        }
    }

    /// Opens the database and runs the ops, printing `try i` before and `ack i` after each with one
    /// unbuffered `write()` per line, then closes it.
    public static func run(_ options: WorkerCommand.RunOptions) -> Int32 {
        let db: Database
        do {
            db = try Database.open(
                at: options.directory,
                options: CrashLoop.openOptions(
                    sync: options.sync, journal: options.journal, checkpointBytes: options.checkpointBytes))
        } catch {
            writeError("dictdb-crash-worker: cannot open \(options.directory): \(error)\n")
            return openFailed
        }
        let workload = Workload(seed: options.seed)
        for index in options.start..<(options.start + options.count) {
            writeOutput("try \(index)\n")
            do {
                try workload.apply(index, to: db)
            } catch {
                writeError("dictdb-crash-worker: op \(index) (\(workload.operation(index))) failed: \(error)\n")
                return operationFailed
            }
            writeOutput("ack \(index)\n")
        }
        do {
            try db.close()
        } catch {
            writeError("dictdb-crash-worker: close failed: \(error)\n")
            return closeFailed
        }
        return 0
    }

    /// Runs the kill -9 loop with `executable` as the worker and prints one summary line.
    /// - Returns: 0 on success, 1 on a violation, 3 when the loop could not run.
    public static func loop(_ options: WorkerCommand.LoopOptions, executable: String) -> Int32 {
        let temporary = options.directory == nil
        let directory =
            options.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "dictdb-crash-loop-\(options.sync)-\(options.journal)-\(UUID().uuidString)"
            ).path
        let header =
            "sync=\(options.sync) journal=\(options.journal) seed=\(options.seed)"
            + (options.crashPoints ? " crashPoints=on" : "")
        do {
            let statistics = try CrashLoop.run(
                workerPath: executable, directory: directory, cycles: options.cycles, seed: options.seed,
                sync: options.sync, journal: options.journal, crashPoints: options.crashPoints ? CrashPoint.all : [],
                log: { line in if options.verbose { writeError(line + "\n") } })
            writeOutput("crash-loop \(header) \(statistics) violations=0\n")
            if temporary { try? FileManager.default.removeItem(atPath: directory) }
            return 0
        } catch let violation as PrefixViolation {
            writeOutput("crash-loop \(header) violations=1\n")
            writeError("VIOLATION \(violation)\ndirectory kept at \(directory)\n")
            return 1
        } catch {
            writeError("crash-loop \(header): \(error)\ndirectory kept at \(directory)\n")
            return 3
        }
    }

    /// The path of the running executable (`/proc/self/exe`, else the first argument).
    public static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CommandLine.arguments.first ?? "dictdb-crash-worker"
    }

    /// Writes `text` to standard output with `write(2)`: no user-space buffer a kill could lose.
    public static func writeOutput(_ text: String) { writeAll(1, text) }

    /// Writes `text` to standard error with `write(2)`.
    public static func writeError(_ text: String) { writeAll(2, text) }

    private static func writeAll(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
