@_spi(Storage) import DictDBAPI

/// A hash index's buckets by key: a short list searched by comparison while the index has at most
/// ``fewKeys`` distinct keys, a sharded dictionary from the first key beyond.
///
/// An index on a category field (a department, a status) has a handful of keys, and finding one of them
/// by hashing costs a SipHash of the key on every insert and remove; comparing it with the few keys
/// there are costs a few instructions when it is stored the same way (the same small string or the same
/// storage, ``Value/surelyEqual(_:_:)``), and a handful of `==` otherwise. The list never comes back once
/// the dictionary took over, except after ``removeAll()``, so an index does not flip between the two.
///
/// A value type: copies share storage until one of them changes (copy-on-write), as the index promises.
struct HashBuckets: Sendable {
    /// The most distinct keys the list holds before the dictionary takes over.
    static var fewKeys: Int { 16 }

    /// The keys while they are few, in the order they came; parallel to `fewBuckets`.
    private var fewKeys: [Value] = []
    private var fewBuckets: [RowBucket] = []
    /// Every key and bucket once the keys outgrew the list (`isMany`).
    private var many = ShardedDictionary<Value, RowBucket>()
    private var isMany = false

    /// An empty set of buckets.
    init() {}

    /// The number of distinct keys.
    var count: Int { isMany ? many.count : fewKeys.count }

    /// The bucket of `key`, if it has one.
    subscript(key: Value) -> RowBucket? {
        if isMany { return many[key] }
        return position(of: key).map { fewBuckets[$0] }
    }

    /// Reads the bucket of `key`, or an empty one, and lets `body` change it in place.
    mutating func modify<R>(_ key: Value, _ body: (inout RowBucket) -> R) -> R {
        if isMany { return many.modify(key, default: RowBucket(), body) }
        if let position = position(of: key) { return body(&fewBuckets[position]) }
        if fewKeys.count < Self.fewKeys {
            fewKeys.append(key)
            fewBuckets.append(RowBucket())
            return body(&fewBuckets[fewBuckets.count - 1])
        }
        moveToDictionary()
        return many.modify(key, default: RowBucket(), body)
    }

    /// Lets `body` change the bucket of `key` in place, if there is one; `nil` when there is none.
    mutating func modifyIfPresent<R>(_ key: Value, _ body: (inout RowBucket) -> R) -> R? {
        if isMany { return many.modifyIfPresent(key, body) }
        guard let position = position(of: key) else { return nil }
        return body(&fewBuckets[position])
    }

    /// Removes the bucket of `key`.
    mutating func removeValue(forKey key: Value) {
        if isMany {
            many.removeValue(forKey: key)
        } else if let position = position(of: key) {
            fewKeys.remove(at: position)
            fewBuckets.remove(at: position)
        }
    }

    /// Removes every key, and goes back to the list.
    mutating func removeAll() {
        self = HashBuckets()
    }

    /// Buckets for distinct `keys` (as `==` tells keys apart), in that order.
    init(keys: [Value], buckets: [RowBucket]) {
        if keys.count <= Self.fewKeys {
            fewKeys = keys
            fewBuckets = buckets
        } else {
            isMany = true
            for (key, bucket) in zip(keys, buckets) { many[key] = bucket }
        }
    }

    /// Where `key` is in the list.
    private func position(of key: Value) -> Int? {
        Self.position(of: key, in: fewKeys)
    }

    /// Where `key` is among a few distinct `keys`: first by representation (``Value/surelyEqual(_:_:)``),
    /// then by `==`. Bulk builds group few keys with it too.
    static func position(of key: Value, in keys: [Value]) -> Int? {
        keys.withUnsafeBufferPointer { keys in
            for i in keys.indices where Value.surelyEqual(keys[i], key) { return i }
            for i in keys.indices where keys[i] == key { return i }
            return nil
        }
    }

    private mutating func moveToDictionary() {
        for (key, bucket) in zip(fewKeys, fewBuckets) { many[key] = bucket }
        fewKeys = []
        fewBuckets = []
        isMany = true
    }
}
