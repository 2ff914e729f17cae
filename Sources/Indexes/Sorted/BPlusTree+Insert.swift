// Insertion: descend to the leaf that owns the element (copying shared nodes on the way), insert it, and
// split nodes that overflow on the way back up. A root split grows the tree by one level.

extension BPlusTree {
    /// Inserts `element` unless an equal element is already present.
    ///
    /// - Returns: `true` if the element was inserted, `false` if an equal one was there (nothing changes).
    /// - Complexity: O(log *n*), plus O(*fanout* × height) to copy nodes shared with another tree.
    @discardableResult
    mutating func insert(_ element: Element) -> Bool {
        insert(element, neighbourMatching: { _ in false }).inserted
    }

    /// Inserts `element` unless an equal element is already present, and says whether one of its new
    /// neighbours (the element just before or just after it) satisfies `matches`, in the same descent.
    /// `matches` reads the neighbour where it is stored (the pointer is valid only during the call).
    ///
    /// Elements that `matches` accepts must be contiguous in the order and include those next to `element`
    /// (as entries sharing a key are): then `neighbourMatched` says whether the tree held such an element
    /// before the insertion.
    ///
    /// - Returns: whether the element was inserted and, if so, whether a neighbour matched (`false` when
    ///   nothing was inserted).
    /// - Complexity: O(log *n*), plus O(*fanout* × height) to copy nodes shared with another tree.
    mutating func insert(
        _ element: Element, neighbourMatching matches: (UnsafePointer<Element>) -> Bool
    ) -> (inserted: Bool, neighbourMatched: Bool) {
        makeRootUnique()
        var split: Split?
        // The descent takes the element by pointer, so that no level copies it (only the leaf stores a copy).
        let outcome = withUnsafePointer(to: element) { element in
            Self.insert(element, into: root, fanout: fanout, matches: matches, split: &split)
        }
        if let split {
            root = Node(children: [root, split.right], separators: [split.separator])
        }
        #if DICTDB_INTERNAL_CHECKS
        _checkInvariants()
        #endif
        return (outcome.inserted, outcome.inserted && outcome.neighbours.matched)
    }

    /// The new right sibling a split produced and the separator that goes up to the parent.
    struct Split {
        /// The smallest element of ``right``'s subtree (or a key between the two halves).
        var separator: Element
        /// The upper half of the node that split.
        var right: Node
    }

    /// What inserting into a subtree did, apart from splitting (which is rare, so it travels separately and
    /// the common outcome stays a few flags, cheap to hand back up through every level).
    struct InsertOutcome {
        /// Whether the element was new.
        var inserted: Bool
        /// Whether a neighbour of the new element matched, as far as the subtree can tell.
        var neighbours = NeighbourMatch()
    }

    /// Inserts into the subtree of `node`, which the caller has made unique. If the subtree's root split,
    /// sets `split` to the sibling to link into the parent (the caller passes it `nil`).
    private static func insert(
        _ element: UnsafePointer<Element>, into node: Node, fanout: Int,
        matches: (UnsafePointer<Element>) -> Bool, split: inout Split?
    ) -> InsertOutcome {
        if node.isLeaf {
            let position = node.indexOfFirstKey(notBelow: element)
            if node.key(at: position, equals: element) { return InsertOutcome(inserted: false) }
            // The neighbours are the elements around the insertion point, read before inserting.
            let neighbours = NeighbourMatch(in: node, before: position - 1, after: position, matches)
            node.insertKey(element.pointee, at: position, fanout: fanout)
            node.count += 1
            if node.keys.count > fanout { split = splitLeaf(node, fanout: fanout) }
            return InsertOutcome(inserted: true, neighbours: neighbours)
        }
        let index = node.indexOfFirstKey(above: element)
        let child = node.uniqueChild(at: index, fanout: fanout)
        var childSplit: Split?
        var outcome = insert(element, into: child, fanout: fanout, matches: matches, split: &childSplit)
        guard outcome.inserted else { return outcome }
        // Before linking a split in, while the siblings of `child` are still at `index ± 1`.
        outcome.neighbours.resolve(in: node, childIndex: index, matches)
        node.count += 1
        guard let childSplit else { return outcome }
        node.insertKey(childSplit.separator, at: index, fanout: fanout)
        node.insertChild(childSplit.right, at: index + 1, fanout: fanout)
        if node.children.count > fanout { split = splitInternal(node, fanout: fanout) }
        return outcome
    }

    /// Moves the upper half of an overflowing leaf into a new right sibling.
    ///
    /// A leaf of `fanout + 1` elements keeps `(fanout + 1) / 2` and gives away the rest, so both halves hold
    /// at least `fanout / 2`.
    private static func splitLeaf(_ node: Node, fanout: Int) -> Split {
        let middle = node.keys.count / 2
        // The new sibling reserves what a leaf can hold, so it takes insertions up to its split without
        // reallocating; the old leaf keeps its storage (already bounded).
        let right = Node(leafElements: Node.storage(node.keys[middle...], capacity: Node.keyCapacity(fanout: fanout)))
        node.keys.removeSubrange(middle...)
        node.count = node.keys.count
        return Split(separator: right.keys[0], right: right)
    }

    /// Moves the upper half of an overflowing internal node into a new right sibling; the separator between
    /// the halves goes up to the parent.
    private static func splitInternal(_ node: Node, fanout: Int) -> Split {
        let middle = node.children.count / 2
        let separator = node.keys[middle - 1]
        let right = Node(
            children: Node.storage(node.children[middle...], capacity: Node.childCapacity(fanout: fanout)),
            separators: Node.storage(node.keys[middle...], capacity: Node.keyCapacity(fanout: fanout)))
        node.children.removeSubrange(middle...)
        node.keys.removeSubrange((middle - 1)...)
        node.count -= right.count
        return Split(separator: separator, right: right)
    }
}
