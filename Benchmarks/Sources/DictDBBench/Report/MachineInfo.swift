import Foundation

/// What machine and build a run was measured on, printed in the report's header.
///
/// Machines here are shared and noisy, which is why only ratios measured in the same run are claims; the
/// load average at the start tells a reader how busy the machine was.
struct MachineInfo: Sendable, Codable {
    /// When the run started, ISO 8601 in UTC.
    var date: String
    /// The host name.
    var hostname: String
    /// Processors available to this process (what `nproc` prints).
    var processors: Int
    /// The CPU model from `/proc/cpuinfo`, if readable.
    var cpuModel: String?
    /// Physical memory in GiB.
    var memoryGiB: Double
    /// The operating system and kernel.
    var system: String
    /// The 1, 5 and 15 minute load averages from `/proc/loadavg`, if readable.
    var loadAverage: String?
    /// `release` or `debug`: debug numbers mean nothing.
    var build: String

    /// Reads the current machine.
    static func current() -> MachineInfo {
        let info = ProcessInfo.processInfo
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        return MachineInfo(
            date: ISO8601DateFormatter().string(from: Date()),
            hostname: info.hostName,
            processors: info.activeProcessorCount,
            cpuModel: cpuModel(),
            memoryGiB: (Double(info.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            system: info.operatingSystemVersionString,
            loadAverage: firstLine(of: "/proc/loadavg").map {
                $0.split(separator: " ").prefix(3).joined(separator: " ")
            },
            build: build)
    }

    /// `date 2026-11-27T05:00:00Z, host h, 2 processors (nproc), CPU, 23.4 GiB, system, load 0.1 0.2 0.3`.
    var summary: String {
        var parts = ["date \(date)", "host \(hostname)", "nproc \(processors)"]
        if let cpuModel { parts.append(cpuModel) }
        parts.append("\(memoryGiB) GiB")
        parts.append(system)
        if let loadAverage { parts.append("load \(loadAverage)") }
        parts.append("\(build) build")
        return parts.joined(separator: ", ")
    }

    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    private static func firstLine(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map(String.init)
    }
}
