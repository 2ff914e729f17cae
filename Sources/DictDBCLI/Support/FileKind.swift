import DictDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path: nothing, a directory or another file.
enum FileKind: Equatable {
    case missing
    case directory
    case file

    /// Looks at `path`, following symbolic links.
    static func of(_ path: String) throws(CommandFailure) -> FileKind {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .missing }
            throw CommandFailure(.ioError, "cannot look at \(path): \(String(cString: strerror(code))) (errno \(code))")
        }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }
}

extension FileKind {
    /// Removes a directory this command created, with the files in it (not recursing into subdirectories);
    /// failures are ignored, as this only runs while reporting another error.
    static func removeDirectory(_ path: String) {
        let fileSystem = PosixFileSystem()
        for name in (try? fileSystem.contentsOfDirectory(path)) ?? [] {
            try? fileSystem.removeFile(FilePath.join(path, name))
        }
        rmdir(path)
    }
}
