import DictDBAPI

/// The name of a backup file: when it was taken (UTC), the database generation and journal sequence it
/// holds, and the codec that wrote it.
///
/// `dictdb-20261127T043541.123Z-g3-s1024.msgpack+lz4`
///
/// Names sort by time as plain strings. Files whose names do not parse are not backups (a copy named
/// `...json.bak` included): retention and restore never touch them.
public struct BackupFileName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// When the backup was taken, in milliseconds since 1970-01-01T00:00:00Z.
    public var timestampMillis: Int64
    /// The database generation (checkpoint count) the backup was cut from.
    public var generation: Int64
    /// The last journal sequence number the backup includes.
    public var sequence: Int64
    /// The registry name of the codec that wrote it, such as `msgpack+lz4`.
    public var codec: String

    /// The prefix every backup name starts with.
    public static let prefix = "dictdb-"

    /// Creates a name.
    public init(timestampMillis: Int64, generation: Int64, sequence: Int64, codec: String) {
        self.timestampMillis = timestampMillis
        self.generation = generation
        self.sequence = sequence
        self.codec = codec
    }

    /// Parses a file name; `nil` when it is not a backup name.
    public init?(parsing name: String) {
        guard name.hasPrefix(Self.prefix) else { return nil }
        let parts = name.dropFirst(Self.prefix.count).split(
            separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let millis = UTCTimestamp.parse(String(parts[0])),
            parts[1].first == "g", let generation = Int64(parts[1].dropFirst()), generation >= 0,
            let dot = parts[2].firstIndex(of: "."), parts[2].first == "s",
            let sequence = Int64(parts[2][parts[2].index(after: parts[2].startIndex)..<dot]), sequence >= 0
        else { return nil }
        let codec = parts[2][parts[2].index(after: dot)...]
        guard !codec.isEmpty, codec.unicodeScalars.allSatisfy(Self.isCodecCharacter) else { return nil }
        self.init(timestampMillis: millis, generation: generation, sequence: sequence, codec: String(codec))
    }

    /// Codec names are ASCII letters, digits, `+`, `-` and `_`: `notes.json.bak` or `x.json~` copies of a
    /// backup are not backups.
    private static func isCodecCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "+", "-", "_": return true
        default: return false
        }
    }

    /// `dictdb-<UTC time>-g<generation>-s<sequence>.<codec>`.
    public var description: String {
        "\(Self.prefix)\(UTCTimestamp.format(timestampMillis))-g\(generation)-s\(sequence).\(codec)"
    }

    /// Orders by time, then generation, then sequence.
    public static func < (lhs: BackupFileName, rhs: BackupFileName) -> Bool {
        (lhs.timestampMillis, lhs.generation, lhs.sequence, lhs.codec)
            < (rhs.timestampMillis, rhs.generation, rhs.sequence, rhs.codec)
    }
}
