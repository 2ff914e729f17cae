import DictDBCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `dictdb`: everything lives in DictDBCLI; this only hands over the arguments and exits with the status.
exit(await DictDBCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
