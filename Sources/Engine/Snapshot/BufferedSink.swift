import DictDBAPI

/// Gathers small writes into 64 KiB blocks before handing them to a file, so a codec can write field by
/// field without one system call each.
final class BufferedSink: ByteSink {
    private let file: any WritableFile
    private var buffer: [UInt8] = []
    private let capacity: Int

    init(file: any WritableFile, capacity: Int = 64 << 10) {
        self.file = file
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try file.write(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes out whatever is buffered.
    func flush() throws(DictDBError) {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try withUnsafeBytesTyped(pending) { (raw) throws(DictDBError) in try file.write(raw) }
    }
}

/// Reads a file through a 64 KiB buffer and remembers the first bytes for codec detection.
final class PrefixedSource: ByteSource {
    private let file: any ByteSource
    private var pending: [UInt8]
    private var pendingStart = 0

    /// Wraps `file`, first yielding `prefix` (bytes already read from it).
    init(file: any ByteSource, prefix: [UInt8]) {
        self.file = file
        self.pending = prefix
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        if pendingStart < pending.count {
            let n = min(buffer.count, pending.count - pendingStart)
            for i in 0..<n { buffer[i] = pending[pendingStart + i] }
            pendingStart += n
            return n
        }
        return try file.read(into: buffer)
    }
}
