@_spi(Storage) import DictDBAPI

/// Primary key to row id: an open-addressing hash table whose slots hold row ids, not keys.
///
/// A slot is one word: the row id (plus one, so that 0 means empty) above 24 bits of the key's hash. The key
/// itself stays in the row's record, where a lookup reads it to confirm a candidate, and the lookup needs
/// that record anyway. An entry so costs 8 bytes at a load of at most 0.8, where a `[Value: RowID]`
/// costs 32 at a load of at most 0.75: at 100,000 keys that is about 11 bytes per record instead of 40-85.
///
/// - **Hashing.** Integer keys (and doubles with an integer value, which equal them) are hashed by a
///   seeded 64-bit finalizer, a few instructions; other keys by their seeded `Hasher` hash. The seed is
///   random per map, so slot positions cannot be predicted from outside.
/// - **Layout.** 256 shards chosen by the hash's top byte, each a power-of-two array probed linearly from
///   the position the low hash bits give; a removal shifts later entries back (no tombstones). Copying the
///   map is O(1) and a change after a copy copies the shard array and one shard, as `ShardedDictionary`.
/// - **Contract.** Every slot's row must hold, in the rows the caller passes, a record whose primary key
///   hashes to that slot, whenever a lookup runs: `TableStorage` removes a row's entry before the row
///   changes its key and adds it once the row holds the new one.
struct PrimaryKeyMap: Sendable {
    /// The hash bits a slot keeps: its position within a shard and a filter that spares reading records.
    private static let tagBits: UInt64 = 24
    private static let tagMask: UInt64 = (1 << tagBits) - 1
    private static let shardCount = 256
    /// The largest row id a slot can hold (40 bits, less the one reserved for empty slots).
    static let maximumRow = (1 << 40) - 2

    private var shards: [Shard]
    /// The number of keys.
    private(set) var count = 0
    private let seed: UInt64

    /// Creates an empty map with a random seed.
    init() {
        self.init(seed: .random(in: .min ... .max))
    }

    /// Creates an empty map with a given seed (tests use fixed seeds to find colliding keys).
    init(seed: UInt64) {
        self.seed = seed
        shards = Array(repeating: Shard(), count: Self.shardCount)
    }

    // MARK: - Hashing

    /// The 64-bit hash of `key`; equal keys (`1` and `1.0` included) hash alike.
    @inline(__always)
    func hash(_ key: Value) -> UInt64 {
        switch key {
        case .int(let i):
            return mix(UInt64(bitPattern: i))
        case .double(let d):
            if let i = Int64(exactly: d) { return mix(UInt64(bitPattern: i)) }
        default:
            break
        }
        return mix(UInt64(UInt(bitPattern: key.hashValue)))
    }

    /// MurmurHash3's 64-bit finalizer over the seeded input: every input bit affects every output bit.
    @inline(__always)
    private func mix(_ value: UInt64) -> UInt64 {
        var z = value ^ seed
        z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
        z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return z ^ (z >> 33)
    }

    @inline(__always)
    private static func shardIndex(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 56) }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash & tagMask }

    /// Whether `row` of `rows` is live and holds `key` as its primary key.
    @inline(__always)
    static func row(_ row: RowID, of rows: ChunkedArray<Record?>, holds key: Value, primaryKey: String) -> Bool {
        guard row < rows.count, let record = rows[row] else { return false }
        return record[primaryKey] == key
    }

    // MARK: - Reading

    /// The row whose record has primary key `key`.
    @inline(__always)
    func row(forKey key: Value, in rows: ChunkedArray<Record?>, primaryKey: String) -> RowID? {
        row(forKey: key) { Self.row($0, of: rows, holds: key, primaryKey: primaryKey) }
    }

    /// The first candidate row for `key` (a row stored under the same hash bits) that `holdsKey` accepts.
    /// `holdsKey` confirms the candidate against its record; a caller that needs the record anyway reads
    /// it there, once.
    @inline(__always)
    func row(forKey key: Value, where holdsKey: (RowID) -> Bool) -> RowID? {
        let hash = hash(key)
        return shards[Self.shardIndex(hash)].firstRow(tag: Self.tag(hash), holdsKey)
    }

    // MARK: - Changing

    /// Adds `key` for `row`, or moves `key` to `row` when another row holds it.
    /// - Precondition: `0 <= row <= maximumRow`.
    mutating func set(_ key: Value, row: RowID, in rows: ChunkedArray<Record?>, primaryKey: String) {
        precondition(row >= 0 && row <= Self.maximumRow, "row id \(row) is out of the key map's range")
        let hash = hash(key)
        let tag = Self.tag(hash)
        let shard = Self.shardIndex(hash)
        let holder = shards[shard].firstRow(tag: tag) { Self.row($0, of: rows, holds: key, primaryKey: primaryKey) }
        if let holder {
            if holder != row { shards[shard].replace(tag: tag, row: holder, with: row) }
            return
        }
        shards[shard].insert(tag: tag, row: row)
        count += 1
    }

    /// Adds `key` for `row` unless a row already holds it, with one probe; returns whether it was added.
    /// - Precondition: `0 <= row <= maximumRow`.
    mutating func insertIfAbsent(
        _ key: Value, row: RowID, in rows: ChunkedArray<Record?>, primaryKey: String
    ) -> Bool {
        precondition(row >= 0 && row <= Self.maximumRow, "row id \(row) is out of the key map's range")
        let hash = hash(key)
        let tag = Self.tag(hash)
        let shard = Self.shardIndex(hash)
        let added = shards[shard].insertUnlessPresent(tag: tag, row: row) {
            Self.row($0, of: rows, holds: key, primaryKey: primaryKey)
        }
        if added { count += 1 }
        return added
    }

    /// Removes the entry of `row` under `key`, if there is one (another row's entry for `key` stays). Reads
    /// no record, so it works while `row` holds a different record.
    mutating func remove(_ key: Value, row: RowID) {
        guard row >= 0 && row <= Self.maximumRow else { return }
        let hash = hash(key)
        if shards[Self.shardIndex(hash)].remove(tag: Self.tag(hash), row: row) { count -= 1 }
    }

    /// Removes every key; the seed stays.
    mutating func removeAll() {
        shards = Array(repeating: Shard(), count: Self.shardCount)
        count = 0
    }

    /// Makes room for about `keys` keys in all, so that filling the map does not rehash as it grows.
    mutating func reserveCapacity(_ keys: Int) {
        let perShard = max(keys, 0) / Self.shardCount + 1
        for i in shards.indices { shards[i].reserve(perShard) }
    }

    /// The slots allocated over all shards (for tests and memory accounting).
    var capacity: Int { shards.reduce(0) { $0 + $1.slots.count } }
}

extension PrimaryKeyMap {
    /// One shard: a power-of-two array of slots (empty until the first key), probed linearly.
    struct Shard: Sendable {
        var slots: [UInt64] = []
        var count = 0

        @inline(__always)
        private static func slot(tag: UInt64, row: RowID) -> UInt64 {
            UInt64(row + 1) << PrimaryKeyMap.tagBits | tag
        }

        @inline(__always)
        private static func row(ofSlot slot: UInt64) -> RowID { Int(slot >> PrimaryKeyMap.tagBits) - 1 }

        /// The first row, in probe order from the tag's position, whose slot has `tag` and which `matches`.
        @inline(__always)
        func firstRow(tag: UInt64, _ matches: (RowID) -> Bool) -> RowID? {
            slots.withUnsafeBufferPointer { slots in
                guard !slots.isEmpty else { return nil }
                let mask = slots.count - 1
                var i = Int(truncatingIfNeeded: tag) & mask
                while true {
                    let slot = slots[i]
                    if slot == 0 { return nil }
                    if slot & PrimaryKeyMap.tagMask == tag {
                        let row = Self.row(ofSlot: slot)
                        if matches(row) { return row }
                    }
                    i = (i + 1) & mask
                }
            }
        }

        /// The position of the slot holding exactly (`tag`, `row`).
        private func position(tag: UInt64, row: RowID) -> Int? {
            guard !slots.isEmpty else { return nil }
            let wanted = Self.slot(tag: tag, row: row)
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: tag) & mask
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if slot == wanted { return i }
                i = (i + 1) & mask
            }
        }

        /// Adds a slot for (`tag`, `row`); the caller knows no slot holds its key.
        mutating func insert(tag: UInt64, row: RowID) {
            growIfFull()
            place(Self.slot(tag: tag, row: row))
            count += 1
        }

        /// Adds a slot for (`tag`, `row`) unless a slot with `tag` `matches`; returns whether it was added.
        mutating func insertUnlessPresent(tag: UInt64, row: RowID, _ matches: (RowID) -> Bool) -> Bool {
            if firstRow(tag: tag, matches) != nil { return false }
            insert(tag: tag, row: row)
            return true
        }

        /// Points the slot (`tag`, `old`) at `new`.
        mutating func replace(tag: UInt64, row old: RowID, with new: RowID) {
            guard let i = position(tag: tag, row: old) else { return }
            slots[i] = Self.slot(tag: tag, row: new)
        }

        /// Removes the slot (`tag`, `row`), shifting the entries after it back so that every entry stays
        /// reachable from its position without tombstones; returns whether it was there.
        mutating func remove(tag: UInt64, row: RowID) -> Bool {
            guard var hole = position(tag: tag, row: row) else { return false }
            let mask = slots.count - 1
            slots.withUnsafeMutableBufferPointer { slots in
                var next = (hole + 1) & mask
                while slots[next] != 0 {
                    let home = Int(truncatingIfNeeded: slots[next] & PrimaryKeyMap.tagMask) & mask
                    // The entry at `next` may fill the hole when the hole lies on its probe path: between its
                    // home position and itself (cyclically).
                    if (next &- home) & mask >= (next &- hole) & mask {
                        slots[hole] = slots[next]
                        hole = next
                    }
                    next = (next + 1) & mask
                }
                slots[hole] = 0
            }
            count -= 1
            return true
        }

        /// Makes room for `keys` keys without growing.
        mutating func reserve(_ keys: Int) {
            let needed = Self.capacity(for: keys)
            if needed > slots.count { rehash(capacity: needed) }
        }

        /// The power-of-two slot count that holds `keys` keys at a load of at most 0.8.
        private static func capacity(for keys: Int) -> Int {
            var capacity = 8
            while keys * 5 > capacity * 4 { capacity *= 2 }
            return capacity
        }

        private mutating func growIfFull() {
            if (count + 1) * 5 > slots.count * 4 { rehash(capacity: Self.capacity(for: count + 1)) }
        }

        /// Moves every slot into a new array of `capacity` slots. The tag gives each slot's position, so
        /// no record is read.
        private mutating func rehash(capacity: Int) {
            let old = slots
            slots = Array(repeating: 0, count: capacity)
            for slot in old where slot != 0 { place(slot) }
        }

        /// Stores `slot` in the first empty position of its probe sequence.
        private mutating func place(_ slot: UInt64) {
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: slot & PrimaryKeyMap.tagMask) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
