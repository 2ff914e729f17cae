import DictDBAPI

/// Writes records as NDJSON (one compact object per line) or as a JSON array of objects, one per line:
///
/// ```text
/// [                                   {"id":1,"name":"Ada","salary":30103.0}
/// {"id":1,"name":"Ada"},              {"id":2,"tags":["a","b"]}
/// {"id":2,"tags":["a","b"]}
/// ]
/// ```
///
/// Values print as the `json` codec prints them: ints as ints, doubles always with a `.` or an exponent,
/// fields in order, strings escaped per RFC 8259 (non-ASCII as raw UTF-8).
final class JSONRecordWriter: RecordWriter {
    let format: RecordFileFormat
    private(set) var recordsWritten = 0
    private var emitter: JSONEmitter
    private let isArray: Bool
    private var state = TabularWriting.State.open

    /// Creates a writer to `sink`: a JSON array when `array` is true, NDJSON otherwise.
    init(to sink: any ByteSink, array: Bool) {
        format = array ? .json : .ndjson
        isArray = array
        emitter = JSONEmitter(out: ByteOutput(to: sink))
        _ = emitter.out.sealChecksum()
    }

    func write(_ record: Record) throws(DictDBError) {
        try state.checkOpen(format)
        try Value.object(record).validate()
        do {
            if isArray { try emitter.out.append(ascii: recordsWritten == 0 ? "[\n" : ",\n") }
            try emitter.writeObject(record)
            if !isArray { try emitter.out.append(UInt8(ascii: "\n")) }
        } catch {
            state = .failed
            throw error
        }
        recordsWritten += 1
    }

    func finish() throws(DictDBError) {
        try state.checkOpen(format)
        do {
            if isArray { try emitter.out.append(ascii: recordsWritten == 0 ? "[]\n" : "\n]\n") }
            try emitter.out.flush()
        } catch {
            state = .failed
            throw error
        }
        state = .finished
    }
}

/// Helpers shared by the record writers.
enum TabularWriting {
    /// Whether a writer still accepts records.
    enum State {
        /// Accepting records.
        case open
        /// ``RecordWriter/finish()`` was called.
        case finished
        /// The sink failed: the output is incomplete.
        case failed

        /// Throws `invalidState` unless the writer is open.
        func checkOpen(_ format: RecordFileFormat) throws(DictDBError) {
            switch self {
            case .open: return
            case .finished:
                throw DictDBError(.invalidState, "this \(format) record writer was finished; start a new one")
            case .failed:
                throw DictDBError(
                    .invalidState, "this \(format) record writer failed earlier and its output is incomplete")
            }
        }
    }
}
