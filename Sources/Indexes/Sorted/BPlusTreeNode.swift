/// A node of a ``BPlusTree``: a leaf (no children, `keys` are the elements) or an internal node (`keys` are
/// the separators, one fewer than the children).
///
/// `@unchecked Sendable` without a lock: a node reachable from more than one tree value is never mutated.
/// Trees mutate a node only after `isKnownUniquelyReferenced` proves they own it (copy-on-write, as `Array`
/// does), so a shared node is immutable and safe to read from any thread.
///
/// The properties opt out of run-time exclusivity checks: a mutation reaches a node only through the one
/// tree that owns it, which never overlaps two accesses to the same property, and the checks otherwise cost
/// a call into the runtime for every read of a node's keys or children on every descent.
///
/// The arrays' capacities are bounded (see `BPlusTreeNode+Capacity.swift`), so a node never holds more
/// storage than it can fill.
final class BPlusTreeNode<Element: BPlusTreeElement>: @unchecked Sendable {
    /// The elements of a leaf, or the separators of an internal node; strictly ascending.
    @exclusivity(unchecked) var keys: [Element]
    /// The children of an internal node; empty for a leaf.
    @exclusivity(unchecked) var children: [BPlusTreeNode]
    /// The number of elements in this subtree.
    @exclusivity(unchecked) var count: Int

    /// Creates a leaf that keeps `leafElements` as they are (with the array's capacity).
    init(leafElements: [Element]) {
        self.keys = leafElements
        self.children = []
        self.count = leafElements.count
    }

    /// Creates an internal node, summing the children's counts.
    init(children: [BPlusTreeNode], separators: [Element]) {
        self.keys = separators
        self.children = children
        self.count = children.reduce(0) { $0 + $1.count }
    }

    private init(keys: [Element], children: [BPlusTreeNode], count: Int) {
        self.keys = keys
        self.children = children
        self.count = count
    }

    /// Whether this node is a leaf.
    var isLeaf: Bool { children.isEmpty }

    /// How full the node is: elements of a leaf, children of an internal node.
    var fill: Int { isLeaf ? keys.count : children.count }

    /// A copy that owns its arrays, each with the capacity a node of a tree with `fanout` may need.
    ///
    /// A copy is only made just before the copy is changed, so copying the arrays now (rather than sharing
    /// them until the first write, which would copy them at their current capacity and then grow them by
    /// doubling) costs nothing extra and keeps the copy's storage bounded. The children become shared with
    /// the original, which the uniqueness checks then see.
    func copy(fanout: Int) -> BPlusTreeNode {
        let keyCapacity = Self.keyCapacity(fanout: fanout)
        if isLeaf {
            return BPlusTreeNode(keys: Self.storage(keys[...], capacity: keyCapacity), children: [], count: count)
        }
        return BPlusTreeNode(
            keys: Self.storage(keys[...], capacity: keyCapacity),
            children: Self.storage(children[...], capacity: Self.childCapacity(fanout: fanout)), count: count)
    }

    /// The child at `index`, copied first if another node or tree shares it, so the caller may mutate it.
    ///
    /// Callers must not hold another reference to that child while calling, or the copy is made needlessly.
    @inline(__always)
    func uniqueChild(at index: Int, fanout: Int) -> BPlusTreeNode {
        children.withUnsafeMutableBufferPointer { children in
            if !isKnownUniquelyReferenced(&children[index]) { children[index] = children[index].copy(fanout: fanout) }
            return children[index]
        }
    }
}

// Binary searches within one node. They read the keys in place through a buffer pointer, and take the element
// they look for by pointer too: indexing the array would copy each probed key out (retaining what it
// references) only to compare and drop it, and an element captured by the closure would be copied as well.

extension BPlusTreeNode {
    /// The number of leading `keys` for which `isBefore` holds; `isBefore` must hold on a prefix of the
    /// order (be true up to some point and false after it).
    /// - Complexity: O(log *m*) for *m* keys.
    @inline(__always)
    func partitionIndex(_ isBefore: (Element) -> Bool) -> Int {
        partitionIndexInPlace({ isBefore($0.pointee) })
    }

    /// The number of `keys` below `element`: where `element` is, or would go, in a leaf.
    /// - Complexity: O(log *m*) for *m* keys.
    @inline(__always)
    func indexOfFirstKey(notBelow element: UnsafePointer<Element>) -> Int {
        partitionIndexInPlace({ Element.isLess($0, than: element) })
    }

    /// The number of `keys` at or below `element`: in an internal node, the index of the child whose subtree
    /// holds `element` (a separator equal to it is the smallest element of the subtree to its right).
    /// - Complexity: O(log *m*) for *m* keys.
    @inline(__always)
    func indexOfFirstKey(above element: UnsafePointer<Element>) -> Int {
        partitionIndexInPlace({ !Element.isLess(element, than: $0) })
    }

    /// ``partitionIndex(_:)`` with each key handed over in place: the number of leading `keys` for which
    /// `isBefore` holds, which must hold on a prefix of the order.
    @inline(__always)
    private func partitionIndexInPlace(_ isBefore: (UnsafePointer<Element>) -> Bool) -> Int {
        keys.withUnsafeBufferPointer { keys in
            guard let base = keys.baseAddress else { return 0 }
            var low = 0
            var high = keys.count
            while low < high {
                let middle = (low &+ high) &>> 1
                if isBefore(base + middle) {
                    low = middle &+ 1
                } else {
                    high = middle
                }
            }
            return low
        }
    }

    /// Whether the key at `position` is equal to `element`, given that it is not below it (as at the
    /// position ``indexOfFirstKey(notBelow:)`` returns); `false` when `position` is `keys.count`.
    @inline(__always)
    func key(at position: Int, equals element: UnsafePointer<Element>) -> Bool {
        keys.withUnsafeBufferPointer { keys in
            guard let base = keys.baseAddress, position < keys.count else { return false }
            return !Element.isLess(element, than: base + position)
        }
    }

    /// Whether the key at `position` (within `keys`) satisfies `matches`, which reads it in place.
    @inline(__always)
    func key(at position: Int, satisfies matches: (UnsafePointer<Element>) -> Bool) -> Bool {
        keys.withUnsafeBufferPointer { keys in
            guard let base = keys.baseAddress, position >= 0, position < keys.count else { return false }
            return matches(base + position)
        }
    }
}
