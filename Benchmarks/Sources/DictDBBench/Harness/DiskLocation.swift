import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where W7's files live: the file system holding a folder, from `/proc/self/mounts`, for the report.
enum DiskLocation {
    /// `ext4 /dev/vda mounted at /, the same file system as /tmp`, or what could be found.
    static func describe(_ folder: String) -> String {
        var parts: [String] = []
        if let mount = mount(of: folder) {
            parts.append("\(mount.type) \(mount.device) mounted at \(mount.point)")
        } else {
            parts.append("file system unknown")
        }
        if let here = device(of: folder), let tmp = device(of: "/tmp") {
            parts.append(here == tmp ? "the same file system as /tmp" : "not the file system of /tmp")
        }
        return parts.joined(separator: ", ")
    }

    /// The mount whose point is the longest prefix of `path`.
    private static func mount(of path: String) -> (device: String, point: String, type: String)? {
        guard let text = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (device: String, point: String, type: String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 3 else { continue }
            let point = fields[1]
            let covers = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
            if covers, point.count >= (best?.point.count ?? -1) {
                best = (fields[0], point, fields[2])
            }
        }
        return best
    }

    private static func device(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }
}
