import DictDBAPI

/// The field names of the last record a reader decoded, with their UTF-8 bytes, so that the next record
/// of the same shape reuses the names (one shared array, no new strings) after a byte comparison.
final class RecordShape {
    /// The field names, distinct, in order.
    let names: [String]
    /// The number of fields.
    let count: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// `starts[i]..<starts[i + 1]` are the bytes of name `i`.
    private let starts: UnsafeMutablePointer<Int>

    /// Captures `names`, which must be distinct.
    init(names: [String]) {
        self.names = names
        count = names.count
        let total = names.reduce(0) { $0 + $1.utf8.count }
        bytes = .allocate(capacity: max(1, total))
        starts = .allocate(capacity: names.count + 1)
        var offset = 0
        for (i, name) in names.enumerated() {
            starts[i] = offset
            for byte in name.utf8 {
                bytes[offset] = byte
                offset += 1
            }
        }
        starts[names.count] = offset
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    /// Whether name `index` (which must be below ``count``) has exactly the `length` bytes at `key`.
    @inline(__always)
    func matches(_ index: Int, _ key: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let start = starts[index]
        guard starts[index + 1] &- start == length else { return false }
        let expected = UnsafeRawPointer(bytes + start)
        let actual = UnsafeRawPointer(key)
        var i = 0
        while length &- i >= 8 {
            let a = expected.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = actual.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if a != b { return false }
            i &+= 8
        }
        if length &- i >= 4 {
            let a = expected.loadUnaligned(fromByteOffset: i, as: UInt32.self)
            let b = actual.loadUnaligned(fromByteOffset: i, as: UInt32.self)
            if a != b { return false }
            i &+= 4
        }
        while i < length {
            if bytes[start &+ i] != key[i] { return false }
            i &+= 1
        }
        return true
    }
}

/// Whether `names` holds a name twice; returns the first repeated one.
func firstDuplicate(in names: [String]) -> String? {
    if names.count <= 12 {
        for i in names.indices.dropFirst() {
            for j in 0..<i where names[i] == names[j] { return names[i] }
        }
        return nil
    }
    var seen = Set<String>(minimumCapacity: names.count)
    for name in names where !seen.insert(name).inserted { return name }
    return nil
}

/// Whether every byte is below 0x80 (then the bytes are valid UTF-8 without further checks); reads 8 bytes
/// at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let start = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(start)
    let count = bytes.count
    var high: UInt64 = 0
    var i = 0
    while count &- i >= 8 {
        high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i &+= 8
    }
    if count &- i >= 4 {
        high |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
        i &+= 4
    }
    while i < count {
        high |= UInt64(start[i])
        i &+= 1
    }
    return high & 0x8080_8080_8080_8080 == 0
}

/// A string from UTF-8 bytes, or `nil` if they are not valid UTF-8; `isASCII` skips the validation.
@inline(__always)
func makeString(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String? {
    if isASCII {
        guard let source = bytes.baseAddress, bytes.count <= 15 else { return String(decoding: bytes, as: UTF8.self) }
        // Fits in a small (inline) string: copied straight in, without the library's second ASCII scan.
        return String(unsafeUninitializedCapacity: bytes.count) { target in
            guard let target = target.baseAddress else { return 0 }
            copySmall(from: source, to: target, count: bytes.count)
            return bytes.count
        }
    }
    return String(validating: bytes, as: UTF8.self)
}

/// Copies `count` bytes (at most 15) with at most two overlapping word-sized moves instead of a call to
/// `memcpy`.
@inline(__always)
private func copySmall(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
    let from = UnsafeRawPointer(source)
    let to = UnsafeMutableRawPointer(target)
    if count >= 8 {
        let head = from.loadUnaligned(as: UInt64.self)
        let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        to.storeBytes(of: head, as: UInt64.self)
        to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
        let head = from.loadUnaligned(as: UInt32.self)
        let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        to.storeBytes(of: head, as: UInt32.self)
        to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
    } else {
        var i = 0
        while i < count {
            target[i] = source[i]
            i &+= 1
        }
    }
}
