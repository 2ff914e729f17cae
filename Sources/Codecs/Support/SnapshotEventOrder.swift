import DictDBAPI

/// Checks that a writer's events come in the order ``SnapshotEvent`` describes:
/// `meta`, then per table `beginTable`, its records and `endTable`, then `end`.
struct SnapshotEventOrder {
    /// Where the stream is.
    enum Stage: Equatable {
        /// Nothing written yet: `meta` comes next.
        case start
        /// Between tables: `beginTable` or `end` come next.
        case betweenTables
        /// Inside a table: `record` or `endTable` come next.
        case inTable
        /// `end` was written: nothing more.
        case finished
        /// A write failed: nothing more.
        case failed
    }

    /// The current stage.
    private(set) var stage = Stage.start
    /// The codec, for error messages.
    let codec: String

    /// Creates a checker for the writer of `codec`.
    init(codec: String) { self.codec = codec }

    /// Moves past `event`, or throws ``DictDBError/Code/invalidState`` if it may not come now.
    mutating func accept(_ event: SnapshotEvent) throws(DictDBError) {
        stage = try stage(after: event)
    }

    /// Throws ``DictDBError/Code/invalidState`` if `event` may not come now; changes nothing.
    func check(_ event: SnapshotEvent) throws(DictDBError) {
        _ = try stage(after: event)
    }

    private func stage(after event: SnapshotEvent) throws(DictDBError) -> Stage {
        switch (stage, event) {
        case (.start, .meta): return .betweenTables
        case (.betweenTables, .beginTable): return .inTable
        case (.betweenTables, .end): return .finished
        case (.inTable, .record): return .inTable
        case (.inTable, .endTable): return .betweenTables
        default:
            throw DictDBError(
                .invalidState, "snapshot event \(Self.name(of: event)) cannot come \(describe(stage))",
                context: .init(plugin: "codec:\(codec)", expected: expected, found: Self.name(of: event)))
        }
    }

    /// Marks the stream as broken after a failed write; later events throw ``DictDBError/Code/invalidState``.
    mutating func fail() { stage = .failed }

    private var expected: String {
        switch stage {
        case .start: return "meta"
        case .betweenTables: return "beginTable or end"
        case .inTable: return "record or endTable"
        case .finished, .failed: return "nothing"
        }
    }

    private func describe(_ stage: Stage) -> String {
        switch stage {
        case .start: return "first (meta comes first)"
        case .betweenTables: return "between tables (expected beginTable or end)"
        case .inTable: return "inside a table (expected record or endTable)"
        case .finished: return "after end"
        case .failed: return "after an earlier write failed"
        }
    }

    /// The event's case name.
    static func name(of event: SnapshotEvent) -> String {
        switch event {
        case .meta: return "meta"
        case .beginTable: return "beginTable"
        case .record: return "record"
        case .endTable: return "endTable"
        case .end: return "end"
        }
    }
}

/// Errors the codecs throw, each naming the codec as `codec:<name>` and the byte offset when known.
enum CodecErrors {
    /// Damaged or malformed input: ``DictDBError/Code/corrupt``.
    static func corrupt(
        _ codec: String, _ message: String, at offset: Int64, expected: String? = nil, found: String? = nil
    ) -> DictDBError {
        DictDBError(
            .corrupt, "\(codec) snapshot is corrupt at byte \(offset): \(message)",
            context: .init(plugin: "codec:\(codec)", offset: offset, expected: expected, found: found))
    }

    /// Input that ends too early: ``DictDBError/Code/corrupt``.
    static func truncated(_ codec: String, at offset: Int64, expected: String) -> DictDBError {
        DictDBError(
            .corrupt, "\(codec) data is truncated at byte \(offset): the input ends where \(expected) should be",
            context: .init(plugin: "codec:\(codec)", offset: offset, expected: expected, found: "end of input"))
    }

    /// A limit of ``DecodingLimits`` was reached: ``DictDBError/Code/limitExceeded``.
    static func limit(_ codec: String, _ what: String, limit: Int, at offset: Int64) -> DictDBError {
        DictDBError(
            .limitExceeded,
            "\(codec) data at byte \(offset) exceeds the \(what) limit of \(limit); raise DecodingLimits if "
                + "this input is trusted",
            context: .init(plugin: "codec:\(codec)", offset: offset, expected: "at most \(limit)"))
    }

    /// A value the data model cannot hold (an integer out of range, a non-finite double): `invalidValue`.
    static func invalidValue(_ codec: String, _ message: String, at offset: Int64) -> DictDBError {
        DictDBError(
            .invalidValue, "\(codec) data at byte \(offset): \(message)",
            context: .init(plugin: "codec:\(codec)", offset: offset))
    }

    /// A reader used after it failed or finished: ``DictDBError/Code/invalidState``.
    static func unusableReader(_ codec: String) -> DictDBError {
        DictDBError(
            .invalidState, "this \(codec) snapshot reader failed earlier; start a new reader",
            context: .init(plugin: "codec:\(codec)"))
    }

    /// A value a writer cannot store (a non-finite double): ``DictDBError/Code/invalidValue``.
    static func unwritable(_ codec: String, _ message: String) -> DictDBError {
        DictDBError(.invalidValue, message, context: .init(plugin: "codec:\(codec)"))
    }
}
