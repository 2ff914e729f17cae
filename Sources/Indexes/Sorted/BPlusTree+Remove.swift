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
    /// element just before or just after it) satisfies `matches`, in the same descent.
    ///
    /// Elements that `matches` accepts must be contiguous in the order and include those next to `element`
    /// (as entries sharing a key are): then `neighbourMatched` says whether such an element remains.
    ///
    /// - Returns: whether an element was removed and, if so, whether a neighbour matched (`false` when
    ///   nothing was removed).
    /// - Complexity: O(log *n*), plus O(*fanout* × height) to copy nodes shared with another tree.
    mutating func remove(
        _ element: Element, neighbourMatching matches: (Element) -> Bool
    ) -> (removed: Bool, neighbourMatched: Bool) {
        makeRootUnique()
        let outcome = Self.remove(element, from: root, minimumFill: minimumFill, matches: matches)
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
        _ element: Element, from node: Node, minimumFill: Int, matches: (Element) -> Bool
    ) -> NeighbourMatch? {
        if node.isLeaf {
            let position = node.partitionIndex { $0 < element }
            guard position < node.keys.count && node.keys[position] == element else { return nil }
            let neighbours = NeighbourMatch(in: node, before: position - 1, after: position + 1, matches)
            node.keys.remove(at: position)
            node.count -= 1
            return neighbours
        }
        let index = node.partitionIndex { $0 <= element }
        let child = node.uniqueChild(at: index)
        guard var neighbours = remove(element, from: child, minimumFill: minimumFill, matches: matches) else {
            return nil
        }
        // Before refilling, while the siblings of `child` are still at `index ± 1` and hold their elements.
        neighbours.resolve(in: node, childIndex: index, matches)
        node.count -= 1
        if child.fill < minimumFill { refillChild(of: node, at: index, minimumFill: minimumFill) }
        return neighbours
    }

    /// Brings the (unique) child at `index` back to `minimumFill`: borrows one element or child from a
    /// sibling that has more than `minimumFill`, else merges with a sibling (which then fits in one node,
    /// since the two hold at most `2 × minimumFill - 1 <= fanout`).
    private static func refillChild(of parent: Node, at index: Int, minimumFill: Int) {
        if index > 0 && parent.children[index - 1].fill > minimumFill {
            borrowFromLeft(parent, index)
        } else if index + 1 < parent.children.count && parent.children[index + 1].fill > minimumFill {
            borrowFromRight(parent, index)
        } else if index > 0 {
            merge(parent, leftIndex: index - 1, leftIsUnique: false)
        } else {
            merge(parent, leftIndex: index, leftIsUnique: true)
        }
    }

    /// Moves the last element (or child) of the left sibling to the front of the child at `index`.
    private static func borrowFromLeft(_ parent: Node, _ index: Int) {
        let left = parent.uniqueChild(at: index - 1)
        let child = parent.children[index]
        if child.isLeaf {
            let moved = left.keys.removeLast()
            child.keys.insert(moved, at: 0)
            left.count -= 1
            child.count += 1
            parent.keys[index - 1] = moved
        } else {
            let moved = left.children.removeLast()
            child.children.insert(moved, at: 0)
            child.keys.insert(parent.keys[index - 1], at: 0)
            parent.keys[index - 1] = left.keys.removeLast()
            left.count -= moved.count
            child.count += moved.count
        }
    }

    /// Moves the first element (or child) of the right sibling to the end of the child at `index`.
    private static func borrowFromRight(_ parent: Node, _ index: Int) {
        let right = parent.uniqueChild(at: index + 1)
        let child = parent.children[index]
        if child.isLeaf {
            let moved = right.keys.removeFirst()
            child.keys.append(moved)
            right.count -= 1
            child.count += 1
            parent.keys[index] = right.keys[0]
        } else {
            let moved = right.children.removeFirst()
            child.children.append(moved)
            child.keys.append(parent.keys[index])
            parent.keys[index] = right.keys.removeFirst()
            right.count -= moved.count
            child.count += moved.count
        }
    }

    /// Appends the child at `leftIndex + 1` to the child at `leftIndex` and drops it and their separator
    /// from the parent. `leftIsUnique` says the left child is already safe to mutate.
    private static func merge(_ parent: Node, leftIndex: Int, leftIsUnique: Bool) {
        let left = leftIsUnique ? parent.children[leftIndex] : parent.uniqueChild(at: leftIndex)
        let right = parent.children[leftIndex + 1]
        if !left.isLeaf {
            left.keys.append(parent.keys[leftIndex])
            left.children += right.children
        }
        left.keys += right.keys
        left.count += right.count
        parent.keys.remove(at: leftIndex)
        parent.children.remove(at: leftIndex + 1)
    }
}
