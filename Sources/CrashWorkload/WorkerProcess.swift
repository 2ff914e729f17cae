import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the crash worker (`dictdb-crash-worker run ...`) as a real process, follows its `try <i>` and
/// `ack <i>` lines, and kills it with SIGKILL when its plan says so.
///
/// ```swift
/// let result = try WorkerProcess.run(
///     executable: worker, arguments: ["run", "--dir", dir, "--seed", "1", "--start", "0", "--count", "500"],
///     kill: .afterAcks(40))
/// print(result.lastAcked as Any, result.termination)
/// ```
public enum WorkerProcess {
    /// When to send SIGKILL.
    public enum KillPlan: Sendable, Equatable, CustomStringConvertible {
        /// Never: the worker ends by itself.
        case never
        /// This many milliseconds after the worker was started.
        case afterDelay(milliseconds: Int)
        /// As soon as this many `ack` lines arrived.
        case afterAcks(Int)

        /// `never`, `after N ms` or `after N acks`.
        public var description: String {
            switch self {
            case .never: return "never"
            case .afterDelay(let ms): return "after \(ms) ms"
            case .afterAcks(let acks): return "after \(acks) acks"
            }
        }
    }

    /// How the worker ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        /// `exit N` or `signal N`.
        public var description: String {
            switch self {
            case .exited(let status): return "exit \(status)"
            case .signaled(let signal): return "signal \(signal)"
            }
        }
    }

    /// What one worker run did.
    public struct Result: Sendable {
        /// The first operation it tried, if any.
        public var firstTried: Int?
        /// The last operation it announced with `try <i>` (the one in flight when it died).
        public var lastTried: Int?
        /// The last operation it acknowledged with `ack <i>`.
        public var lastAcked: Int?
        /// How many `ack` lines it printed.
        public var acks = 0
        /// How it ended.
        public var termination = Termination.exited(0)
        /// Whether this run sent the SIGKILL.
        public var killed = false
        /// Whether it ran past the time limit (and was killed for that).
        public var timedOut = false
        /// Its standard error, up to 64 KiB.
        public var standardError = ""
        /// Lines that were neither `try` nor `ack`, or out of order (a protocol error).
        public var protocolErrors: [String] = []
        /// How long it ran, in milliseconds.
        public var milliseconds = 0

        /// The op counts a recovered database may hold after this run, when it started at `start`:
        /// `lastAcked + 1 ... lastTried + 1` (`start...start` when it tried nothing).
        public func allowedCounts(start: Int) -> ClosedRange<Int> {
            let low = (lastAcked ?? (start - 1)) + 1
            let high = max(low, (lastTried ?? (start - 1)) + 1)
            return low...high
        }
    }

    /// A worker that could not be started.
    public struct LaunchError: Error, Sendable, CustomStringConvertible {
        /// Why.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Starts `executable` with `arguments` and `environment` added to (and `DICTDB_CRASH_AT` removed
    /// from) this process's environment, reads its output until it ends, and kills it as `kill` says or
    /// when it runs longer than `timeLimit`.
    /// - Throws: ``LaunchError`` when the process cannot be started.
    public static func run(
        executable: String, arguments: [String], environment: [String: String] = [:], kill plan: KillPlan,
        timeLimit: Duration = .seconds(120)
    ) throws(LaunchError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        inherited["DICTDB_CRASH_AT"] = nil
        process.environment = inherited.merging(environment) { _, new in new }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        do {
            try process.run()
        } catch {
            throw LaunchError(message: "cannot start \(executable): \(error)")
        }
        var reader = OutputReader(
            outputDescriptor: output.fileHandleForReading.fileDescriptor,
            errorDescriptor: errors.fileHandleForReading.fileDescriptor)
        var result = Result()
        let killAt: ContinuousClock.Instant? =
            if case .afterDelay(let ms) = plan { started + .milliseconds(ms) } else { nil }
        let giveUpAt = started + timeLimit
        func sendKill() {
            if !result.killed {
                _ = kill(process.processIdentifier, SIGKILL)
                result.killed = true
            }
        }
        var exitedAt: ContinuousClock.Instant?
        while !reader.finished {
            let now = ContinuousClock.now
            if let killAt, now >= killAt { sendKill() }
            if now >= giveUpAt, !result.killed {
                result.timedOut = true
                sendKill()
            }
            if exitedAt == nil, !process.isRunning { exitedAt = now }
            // Once the process is gone, whatever it wrote is in the pipes: drain them without waiting for
            // an end of file that a descriptor inherited by another child could hold back.
            let wait: Duration =
                exitedAt != nil
                ? .zero : min(.milliseconds(20), killAt.map { max(.zero, $0 - now) } ?? .milliseconds(20))
            let readSomething = reader.pump(timeout: wait)
            for line in reader.takeLines() {
                record(line, into: &result)
                if case .afterAcks(let acks) = plan, result.acks >= acks { sendKill() }
            }
            if let exitedAt, !readSomething, ContinuousClock.now - exitedAt > .milliseconds(5) { break }
        }
        process.waitUntilExit()
        for line in reader.takeLines() { record(line, into: &result) }
        if reader.hasPartialLine { result.protocolErrors.append("an unterminated last line") }
        result.standardError = reader.errorText
        result.termination =
            process.terminationReason == .uncaughtSignal
            ? .signaled(process.terminationStatus) : .exited(process.terminationStatus)
        result.milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
        reader.close()
        try? output.fileHandleForReading.close()
        try? errors.fileHandleForReading.close()
        return result
    }

    private static func record(_ line: String, into result: inout Result) {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let index = Int(parts[1]) else {
            if !line.isEmpty { result.protocolErrors.append(line) }
            return
        }
        switch parts[0] {
        case "try":
            let expected = (result.lastTried ?? (index - 1)) + 1
            if index != expected || result.lastTried != result.lastAcked {
                result.protocolErrors.append("\(line) (expected try \(expected) after ack)")
            }
            if result.firstTried == nil { result.firstTried = index }
            result.lastTried = index
        case "ack":
            if index != result.lastTried { result.protocolErrors.append("\(line) without try \(index)") }
            result.lastAcked = index
            result.acks += 1
        default:
            result.protocolErrors.append(line)
        }
    }
}

/// Reads a child's stdout (split into lines) and stderr (kept as text) with `poll`, never blocking on an
/// end of file.
private struct OutputReader {
    private var descriptors: [Int32]
    private var open: [Bool] = [true, true]
    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var errorBytes: [UInt8] = []

    init(outputDescriptor: Int32, errorDescriptor: Int32) {
        descriptors = [outputDescriptor, errorDescriptor]
    }

    var finished: Bool { !open[0] && !open[1] }

    var errorText: String { String(decoding: errorBytes, as: UTF8.self) }

    /// Waits up to `timeout` for data and reads what is there. Returns whether anything was read.
    mutating func pump(timeout: Duration) -> Bool {
        var requests = descriptors.indices.filter { open[$0] }.map {
            pollfd(fd: descriptors[$0], events: Int16(POLLIN), revents: 0)
        }
        let indices = descriptors.indices.filter { open[$0] }
        let milliseconds = Int32(min(1000, max(0, (timeout / .milliseconds(1)).rounded(.up))))
        let ready = requests.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), milliseconds)
        }
        guard ready > 0 else { return false }
        var readSomething = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for (slot, request) in zip(indices, requests) where request.revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(descriptors[slot], $0.baseAddress, $0.count) }
            if count > 0 {
                readSomething = true
                if slot == 0 {
                    pending += buffer[0..<count]
                } else if errorBytes.count < 65_536 {
                    errorBytes += buffer[0..<min(count, 65_536 - errorBytes.count)]
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                open[slot] = false
            }
        }
        return readSomething
    }

    /// Whether bytes after the last newline are waiting (a line the child did not finish).
    var hasPartialLine: Bool { !pending.isEmpty }

    /// The complete lines read so far (each child line is one `write()`, so none is ever split).
    mutating func takeLines() -> [String] {
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        defer { lines = [] }
        return lines
    }

    mutating func close() {
        open = [false, false]
    }
}
