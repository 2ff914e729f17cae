import DictDBAPI

/// A whole snapshot as plain values, to write through a codec, read back and compare exactly.
///
/// ```swift
/// let bytes = try SnapshotIO.write(.small, with: codec)
/// let read = try SnapshotIO.read(bytes, with: codec)
/// assert(read.isIdentical(to: .small))
/// ```
public struct SnapshotContent: Sendable, CustomStringConvertible {
    /// One table: its header and its records.
    public struct Table: Sendable {
        /// The header record (holds `recordCount`).
        public var header: Record
        /// The records in order.
        public var records: [Record]

        /// Creates a table.
        public init(header: Record, records: [Record]) {
            self.header = header
            self.records = records
        }
    }

    /// The meta record (holds `tableCount`).
    public var meta: Record
    /// The tables in order.
    public var tables: [Table]

    /// Creates a snapshot.
    public init(meta: Record, tables: [Table]) {
        self.meta = meta
        self.tables = tables
    }

    /// The events a writer receives for this snapshot, `meta` first and `end` last.
    public var events: [SnapshotEvent] {
        var events: [SnapshotEvent] = [.meta(meta)]
        for table in tables {
            events.append(.beginTable(table.header))
            events += table.records.map { .record($0) }
            events.append(.endTable)
        }
        events.append(.end)
        return events
    }

    /// `snapshot of 2 tables, 3 records`.
    public var description: String {
        "snapshot of \(tables.count) tables, \(tables.reduce(0) { $0 + $1.records.count }) records"
    }

    /// Whether `other` is the same snapshot exactly: same field order, ints stay ints, doubles bit for bit.
    public func isIdentical(to other: SnapshotContent) -> Bool {
        guard meta.isIdentical(to: other.meta), tables.count == other.tables.count else { return false }
        for (mine, theirs) in zip(tables, other.tables) {
            guard mine.header.isIdentical(to: theirs.header), mine.records.count == theirs.records.count else {
                return false
            }
            for (a, b) in zip(mine.records, theirs.records) where !a.isIdentical(to: b) { return false }
        }
        return true
    }

    /// A small snapshot (a few hundred bytes) holding every kind of value, for exhaustive damage checks:
    /// a table of three records (a double with an integral value, `-0.0`, the smallest subnormal, the
    /// lowest Int64, escapes, non-ASCII text, nested arrays and objects, null) and an empty table.
    public static let small: SnapshotContent = {
        let people: [Record] = [
            ["id": 1, "name": "Ada", "salary": 30103.0, "tags": ["a", "\u{e9}"], "boss": .null],
            ["id": 2, "name": "Bob \"B\"\n", "salary": -0.0, "tags": [], "boss": 1],
            [
                "name": "C\u{e9} \u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", "id": -9_223_372_036_854_775_808,
                "nested": ["x": [true, false, .double(.leastNonzeroMagnitude)]],
            ],
        ]
        return SnapshotContent(
            meta: ["format": "dictdb", "version": 1, "tableCount": 2, "generation": 7],
            tables: [
                Table(header: ["name": "people", "primaryKey": "id", "recordCount": 3], records: people),
                Table(header: ["name": "empty", "recordCount": 0], records: []),
            ])
    }()
}
