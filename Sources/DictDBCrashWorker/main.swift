import CrashWorkload

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// dictdb-crash-worker: the process the kill -9 loops and crash-point tests start and kill. The work is in
// the CrashWorkload library (`CrashWorker`, `WorkerCommand`); see `dictdb-crash-worker --help`.
exit(CrashWorker.main(Array(CommandLine.arguments.dropFirst())))
