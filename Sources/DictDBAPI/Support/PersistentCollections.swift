// Copy-on-write collections whose copies stay cheap to modify.
//
// Copying a Swift Array or Dictionary is O(1), but the first change to a copy copies every element. Tables
// copy their storage for every transaction and every snapshot cut, so a change right after a copy must
// not cost O(n). These collections split their elements into chunks (or shards), each copy-on-write on its
// own: a change after a copy copies the small top-level array of chunk references and one chunk.
//
// They are `@_spi(Storage) public` rather than `package`: the engine and the indexes read them on every
// lookup, and only public `@inlinable` code is specialized in the modules that use it (a `package`
// declaration's body is not, so each access went through unspecialized generic code and runtime metadata
// look-ups). The SPI keeps them out of the API that plugins and users see: only a module that writes
// `@_spi(Storage) import DictDBAPI` can name them.

/// An array stored as chunks of 256 elements: after a copy, changing one element or appending costs
/// O(n / 256 + 256) instead of O(n).
@_spi(Storage) public struct ChunkedArray<Element>: RandomAccessCollection {
    @usableFromInline static var chunkSize: Int { 256 }
    @usableFromInline var chunks: [[Element]] = []
    @usableFromInline var elementCount = 0
    /// The number of elements.
    @inlinable
    public var count: Int { elementCount }

    /// Creates an empty array.
    public init() {}

    /// Creates an array with the elements of a sequence.
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        for element in elements { append(element) }
    }

    /// Index of the first element.
    @inlinable
    public var startIndex: Int { 0 }
    /// One past the last element.
    @inlinable
    public var endIndex: Int { count }

    /// Reads or replaces the element at `index`.
    @inlinable
    public subscript(index: Int) -> Element {
        get { chunks[index >> 8][index & 255] }
        set { chunks[index >> 8][index & 255] = newValue }
    }

    /// Appends an element.
    @inlinable
    public mutating func append(_ element: Element) {
        if count & 255 == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        } else {
            chunks[chunks.count - 1].append(element)
        }
        elementCount += 1
    }

    /// Removes every element.
    public mutating func removeAll() {
        chunks = []
        elementCount = 0
    }

    /// Removes the elements from `newCount` on, keeping the first `newCount`.
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "truncate(to:) beyond the end")
        let keptChunks = (newCount + Self.chunkSize - 1) / Self.chunkSize
        chunks.removeLast(chunks.count - keptChunks)
        if newCount & 255 != 0 { chunks[keptChunks - 1].removeLast(chunks[keptChunks - 1].count - (newCount & 255)) }
        elementCount = newCount
    }
}

/// A type with a hash that is cheap to compute and agrees with equality, used to pick a shard.
@_spi(Storage) public protocol ShardHashable: Hashable {
    /// Equal values must give equal shard hashes.
    var shardHash: Int { get }
}

/// A dictionary split into 256 shards by ``ShardHashable/shardHash``: after a copy, a change copies the
/// shard array and one shard, O(n / 256) instead of O(n).
@_spi(Storage) public struct ShardedDictionary<Key: ShardHashable, Value> {
    @usableFromInline var shards: [[Key: Value]] = Array(repeating: [:], count: 256)
    @usableFromInline var keyCount = 0
    /// The number of keys.
    @inlinable
    public var count: Int { keyCount }

    /// Creates an empty dictionary.
    public init() {}

    @inlinable
    static func shard(of key: Key) -> Int { Int(UInt(bitPattern: key.shardHash) % 256) }

    /// Reads or sets (`nil` removes) the value for `key`.
    @inlinable
    public subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        set {
            let shard = Self.shard(of: key)
            if let newValue {
                if shards[shard].updateValue(newValue, forKey: key) == nil { keyCount += 1 }
            } else if shards[shard].removeValue(forKey: key) != nil {
                keyCount -= 1
            }
        }
    }

    /// Reads the value for `key`, or a default, and lets `body` change it in place.
    @inlinable
    public mutating func modify<R>(_ key: Key, default defaultValue: Value, _ body: (inout Value) -> R) -> R {
        let shard = Self.shard(of: key)
        let before = shards[shard].count
        let result = body(&shards[shard][key, default: defaultValue])
        keyCount += shards[shard].count - before
        return result
    }

    /// Lets `body` change the value for `key` in place, if there is one, and returns its result; `nil` when
    /// the key is missing (`body` does not run).
    @inlinable
    public mutating func modifyIfPresent<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        let shard = Self.shard(of: key)
        guard let index = shards[shard].index(forKey: key) else { return nil }
        return body(&shards[shard].values[index])
    }

    /// Removes the value for `key` and returns it.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        let removed = shards[Self.shard(of: key)].removeValue(forKey: key)
        if removed != nil { keyCount -= 1 }
        return removed
    }

    /// Removes every key.
    public mutating func removeAll() {
        shards = Array(repeating: [:], count: 256)
        keyCount = 0
    }
}

@_spi(Storage) extension Value: ShardHashable {
    /// A cheap hash that agrees with equality: integers (and doubles with an integer value) by value,
    /// strings by their length and first bytes, other values by their full hash.
    @inlinable
    public var shardHash: Int {
        switch self {
        case .int(let i): return Int(truncatingIfNeeded: (i &* -7_046_029_254_386_353_131) >> 20)
        case .double(let d):
            if let i = Int64(exactly: d) { return Value.int(i).shardHash }
            return hashValue
        case .string(var s):
            return s.withUTF8 { bytes in
                var h = bytes.count
                for byte in bytes.prefix(8) { h = h &* 31 &+ Int(byte) }
                for byte in bytes.suffix(4) { h = h &* 31 &+ Int(byte) }
                return h
            }
        default:
            return hashValue
        }
    }
}

@_spi(Storage) extension ChunkedArray: Sendable where Element: Sendable {}
@_spi(Storage) extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}
