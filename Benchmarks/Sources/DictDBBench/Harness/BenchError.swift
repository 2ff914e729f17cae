/// Why a benchmark run stopped. Each message says what to do about it.
enum BenchError: Error, CustomStringConvertible {
    /// The workload file does not exist; `command` generates it.
    case missingWorkload(path: String, command: String)
    /// The workload file exists but could not be read or decoded.
    case unreadableWorkload(path: String, reason: String)
    /// The workload file decoded but does not describe the workload the run asked for.
    case inconsistentWorkload(path: String, reason: String)
    /// A contender failed while setting up or running a workload.
    case contenderFailed(contender: String, workload: String, reason: String)
    /// The results could not be written.
    case cannotWriteReport(path: String, reason: String)
    /// At least one contender gave a wrong answer; the table was printed.
    case wrongAnswers(count: Int)

    var description: String {
        switch self {
        case .missingWorkload(let path, let command):
            return """
                no workload file at \(path)
                generate it with:
                    \(command)
                """
        case .unreadableWorkload(let path, let reason):
            return "cannot read the workload file \(path): \(reason)"
        case .inconsistentWorkload(let path, let reason):
            return "the workload file \(path) is not usable: \(reason); regenerate it with gen_workload.py"
        case .contenderFailed(let contender, let workload, let reason):
            return "\(contender) failed in \(workload): \(reason)"
        case .cannotWriteReport(let path, let reason):
            return "cannot write the JSON report to \(path): \(reason)"
        case .wrongAnswers(let count):
            return "\(count) wrong answer(s): see the table above (a fast wrong answer is a failure)"
        }
    }
}
