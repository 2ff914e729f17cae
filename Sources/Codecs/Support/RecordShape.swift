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
        let expected = bytes + start
        var i = 0
        while i < length {
            if expected[i] != key[i] { return false }
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

/// A string from UTF-8 bytes, or `nil` if they are not valid UTF-8; `isASCII` skips the validation.
@inline(__always)
func makeString(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String? {
    if isASCII { return String(decoding: bytes, as: UTF8.self) }
    return String(validating: bytes, as: UTF8.self)
}
