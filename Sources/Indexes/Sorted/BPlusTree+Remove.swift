// Removal: descend to the leaf that owns the element (copying shared nodes on the way), remove it, and on the
// way back up refill every child that fell below half full, by borrowing from a sibling that can spare one or
// else by merging with a sibling. A root left with one child is replaced by it, shrinking the tree a level.

extension BPlusTree {
    /// Removes the element equal to `element`, if there is one.
    ///
    /// - Returns: `true` if an element was removed.
    /// - Complexity: O(log *n*), plus O(*fanout* × height) to copy nodes shared with another tree.
    @discardableResult
    mutating func remove(_ element: Element) -> Bool {
        remove(element, neighbourMatching: { _ in false }).removed
    }

    /// Removes the element equal to `element`, if there is one, and says whether one of its neighbours (the
    /// element just before or just after it) satisfies `matches`, in the same descent. `matches` reads the
    /// neighbour where it is stored (the pointer is valid only during the call).
    ///
    /// Elements that `matches` accepts must be contiguous in the order and include those next to `element`
    /// (as entries sharing a key are): then `neighbourMatched` says whether such an element remains.
    ///
    /// - Returns: whether an element was removed and, if so, whether a neighbour matched (`false` when
    ///   nothing was removed).
    /// - Complexity: O(log *n*), plus O(*fanout* × height) to copy nodes shared with another tree.
    mutating func remove(
        _ element: Element, neighbourMatching matches: (UnsafePointer<Element>) -> Bool
    ) -> (removed: Bool, neighbourMatched: Bool) {
        makeRootUnique()
        // The descent takes the element by pointer, so that no level copies it.
        let outcome = withUnsafePointer(to: element) { element in
            Self.remove(element, from: root, fanout: fanout, matches: matches)
        }
        if root.children.count == 1 { root = root.children[0] }
        #if DICTDB_INTERNAL_CHECKS
        _checkInvariants()
        #endif
        guard let neighbours = outcome else { return (false, false) }
        return (true, neighbours.matched)
    }

    /// Removes from the subtree of `node`, which the caller has made unique. Returns `nil` if the element
    /// was not there, else whether a neighbour matched as far as the subtree can tell.
    private static func remove(
        _ element: UnsafePointer<Element>, from node: Node, fanout: Int, matches: (UnsafePointer<Element>) -> Bool
    ) -> NeighbourMatch? {
        if node.isLeaf {
            let position = node.indexOfFirstKey(notBelow: element)
            guard node.key(at: position, equals: element) else { return nil }
            let neighbours = NeighbourMatch(in: node, before: position - 1, after: position + 1, matches)
            node.keys.removeSubrange(position..<(position + 1))
            node.count -= 1
            return neighbours
        }
        let index = node.indexOfFirstKey(above: element)
        let child = node.uniqueChild(at: index, fanout: fanout)
        guard var neighbours = Self.remove(element, from: child, fanout: fanout, matches: matches) else {
            return nil
        }
        // Before refilling, while the siblings of `child` are still at `index ± 1` and hold their elements.
        neighbours.resolve(in: node, childIndex: index, matches)
        node.count -= 1
        if child.fill < fanout / 2 { refillChild(of: node, at: index, fanout: fanout) }
        return neighbours
    }

    /// Brings the (unique) child at `index` back to `minimumFill`: borrows one element or child from a
    /// sibling that has more than `minimumFill`, else merges with a sibling (which then fits in one node,
    /// since the two hold at most `2 × minimumFill - 1 <= fanout`).
    private static func refillChild(of parent: Node, at index: Int, fanout: Int) {
        let minimumFill = fanout / 2
        if index > 0 && parent.children[index - 1].fill > minimumFill {
            borrowFromLeft(parent, index, fanout: fanout)
        } else if index + 1 < parent.children.count && parent.children[index + 1].fill > minimumFill {
            borrowFromRight(parent, index, fanout: fanout)
        } else if index > 0 {
            merge(parent, leftIndex: index - 1, leftIsUnique: false, fanout: fanout)
        } else {
            merge(parent, leftIndex: index, leftIsUnique: true, fanout: fanout)
        }
    }

    /// Moves the last element (or child) of the left sibling to the front of the child at `index`.
    private static func borrowFromLeft(_ parent: Node, _ index: Int, fanout: Int) {
        let left = parent.uniqueChild(at: index - 1, fanout: fanout)
        let child = parent.children[index]
        if child.isLeaf {
            let moved = left.keys.removeLast()
            child.insertKey(moved, at: 0, fanout: fanout)
            left.count -= 1
            child.count += 1
            parent.keys[index - 1] = moved
        } else {
            let moved = left.children.removeLast()
            child.insertChild(moved, at: 0, fanout: fanout)
            child.insertKey(parent.keys[index - 1], at: 0, fanout: fanout)
            parent.keys[index - 1] = left.keys.removeLast()
            left.count -= moved.count
            child.count += moved.count
        }
    }

    /// Moves the first element (or child) of the right sibling to the end of the child at `index`.
    private static func borrowFromRight(_ parent: Node, _ index: Int, fanout: Int) {
        let right = parent.uniqueChild(at: index + 1, fanout: fanout)
        let child = parent.children[index]
        if child.isLeaf {
            let moved = right.keys.removeFirst()
            child.insertKey(moved, at: child.keys.count, fanout: fanout)
            right.count -= 1
            child.count += 1
            parent.keys[index] = right.keys[0]
        } else {
            let moved = right.children.removeFirst()
            child.insertChild(moved, at: child.children.count, fanout: fanout)
            child.insertKey(parent.keys[index], at: child.keys.count, fanout: fanout)
            parent.keys[index] = right.keys.removeFirst()
            right.count -= moved.count
            child.count += moved.count
        }
    }

    /// Appends the child at `leftIndex + 1` to the child at `leftIndex` and drops it and their separator
    /// from the parent. `leftIsUnique` says the left child is already safe to mutate.
    private static func merge(_ parent: Node, leftIndex: Int, leftIsUnique: Bool, fanout: Int) {
        let left = leftIsUnique ? parent.children[leftIndex] : parent.uniqueChild(at: leftIndex, fanout: fanout)
        let right = parent.children[leftIndex + 1]
        if !left.isLeaf {
            left.insertKey(parent.keys[leftIndex], at: left.keys.count, fanout: fanout)
            left.appendChildren(right.children, fanout: fanout)
        }
        left.appendKeys(right.keys, fanout: fanout)
        left.count += right.count
        parent.keys.remove(at: leftIndex)
        parent.children.remove(at: leftIndex + 1)
    }
}
