// Bounded storage for nodes. Left to itself an array doubles its capacity whenever it fills up, so a leaf of
// 17 elements that gains one more would reserve room for 34, and an array cut from a larger one keeps the
// larger capacity. A node of a tree with a given fanout never holds more than a fixed number of keys or
// children, so every change that may need more room reserves at most that number: the storage of a node is
// bounded by what it can hold, and memory per element stays predictable.

extension BPlusTreeNode {
    /// The most keys a node of a tree with `fanout` holds: a leaf overflows to `fanout + 1` elements just
    /// before it splits; an internal node holds at most `fanout` separators.
    @inline(__always)
    static func keyCapacity(fanout: Int) -> Int { fanout + 1 }

    /// The most children an internal node of a tree with `fanout` holds: `fanout + 1` just before it splits.
    @inline(__always)
    static func childCapacity(fanout: Int) -> Int { fanout + 1 }

    /// `items` in a new array with room for `capacity` items (or `items.count`, if more).
    static func storage<Item>(_ items: ArraySlice<Item>, capacity: Int) -> [Item] {
        var storage: [Item] = []
        storage.reserveCapacity(Swift.max(capacity, items.count))
        storage.append(contentsOf: items)
        return storage
    }

    /// Makes room in `array` for `extra` more items without growing it past `capacity` (unless it already
    /// needs more): an array that is full grows straight to `capacity` instead of doubling.
    @inline(__always)
    static func reserve<Item>(_ extra: Int, in array: inout [Item], capacity: Int) {
        let needed = array.count + extra
        if needed > array.capacity { array.reserveCapacity(Swift.max(needed, capacity)) }
    }

    /// Inserts `key` at `position` of `keys`, within the bound for a tree with `fanout`.
    @inline(__always)
    func insertKey(_ key: Element, at position: Int, fanout: Int) {
        Self.reserve(1, in: &keys, capacity: Self.keyCapacity(fanout: fanout))
        keys.insert(key, at: position)
    }

    /// Inserts `child` at `position` of `children`, within the bound for a tree with `fanout`.
    @inline(__always)
    func insertChild(_ child: BPlusTreeNode, at position: Int, fanout: Int) {
        Self.reserve(1, in: &children, capacity: Self.childCapacity(fanout: fanout))
        children.insert(child, at: position)
    }

    /// Appends `newKeys` to `keys`, within the bound for a tree with `fanout`.
    func appendKeys(_ newKeys: [Element], fanout: Int) {
        Self.reserve(newKeys.count, in: &keys, capacity: Self.keyCapacity(fanout: fanout))
        keys.append(contentsOf: newKeys)
    }

    /// Appends `newChildren` to `children`, within the bound for a tree with `fanout`.
    func appendChildren(_ newChildren: [BPlusTreeNode], fanout: Int) {
        Self.reserve(newChildren.count, in: &children, capacity: Self.childCapacity(fanout: fanout))
        children.append(contentsOf: newChildren)
    }
}
