// Reading: ranks of partition points (one descent, summing the counts of the subtrees skipped), lookups, and
// in-order visits of a range of positions in either direction.
//
// A partition point is described by a predicate `isBefore` that holds for every element below the point and
// for none above it: it must be monotone over the whole order of `Element`, not only over the elements
// present, because separators (which may no longer be in the tree) steer the descent.

extension BPlusTree {
    /// The number of elements for which `isBefore` holds: the position of the partition point it describes.
    ///
    /// `isBefore` must be true up to some point of the order of `Element` and false after it.
    /// - Complexity: O(log *n*) calls of `isBefore`, plus O(*fanout*) additions per level.
    func rank(where isBefore: (Element) -> Bool) -> Int {
        var node = root
        var rank = 0
        while !node.isLeaf {
            let index = node.partitionIndex(isBefore)
            for child in node.children[..<index] { rank += child.count }
            node = node.children[index]
        }
        return rank + node.partitionIndex(isBefore)
    }

    /// The first element for which `isBefore` is false, or `nil` if there is none.
    ///
    /// `isBefore` must be true up to some point of the order of `Element` and false after it.
    /// - Complexity: O(log *n*).
    func first(notBefore isBefore: (Element) -> Bool) -> Element? {
        var node = root
        // The nearest subtree to the right of the descent path: where the answer is if the leaf has none.
        var nextSubtree: Node?
        while !node.isLeaf {
            let index = node.partitionIndex(isBefore)
            if index + 1 < node.children.count { nextSubtree = node.children[index + 1] }
            node = node.children[index]
        }
        let position = node.partitionIndex(isBefore)
        if position < node.keys.count { return node.keys[position] }
        guard var next = nextSubtree else { return nil }
        while let first = next.children.first { next = first }
        return next.keys.first
    }

    /// Whether the tree holds an element equal to `element`.
    /// - Complexity: O(log *n*).
    func contains(_ element: Element) -> Bool {
        first(notBefore: { $0 < element }) == element
    }

    /// The element at `position` (0 is the smallest), or `nil` outside `0..<count`.
    /// - Complexity: O(log *n*).
    func element(at position: Int) -> Element? {
        guard position >= 0 && position < count else { return nil }
        var node = root
        var offset = position
        while !node.isLeaf {
            var index = 0
            while offset >= node.children[index].count {
                offset -= node.children[index].count
                index += 1
            }
            node = node.children[index]
        }
        return node.keys[offset]
    }

    /// Visits the elements at `positions` (clamped to `0..<count`) in ascending or descending order, until
    /// `body` returns `false`.
    ///
    /// - Returns: `false` if `body` stopped the visit, `true` if it saw every element.
    /// - Complexity: O(log *n* + *k*) for *k* visited elements.
    @discardableResult
    func forEach(in positions: Range<Int>, ascending: Bool, _ body: (Element) -> Bool) -> Bool {
        let clamped = positions.clamped(to: 0..<count)
        guard !clamped.isEmpty else { return true }
        return Self.visit(root, clamped, ascending: ascending, body)
    }

    /// Visits the elements of `node`'s subtree at `positions`, which are relative to the subtree and within it.
    private static func visit(
        _ node: Node, _ positions: Range<Int>, ascending: Bool, _ body: (Element) -> Bool
    ) -> Bool {
        if node.isLeaf {
            if ascending {
                for position in positions where !body(node.keys[position]) { return false }
            } else {
                for position in positions.reversed() where !body(node.keys[position]) { return false }
            }
            return true
        }
        if ascending {
            var start = 0
            for child in node.children {
                let end = start + child.count
                if start >= positions.upperBound { break }
                if end > positions.lowerBound {
                    let inner = (max(positions.lowerBound, start) - start)..<(min(positions.upperBound, end) - start)
                    if !visit(child, inner, ascending: true, body) { return false }
                }
                start = end
            }
        } else {
            var end = node.count
            for child in node.children.reversed() {
                let start = end - child.count
                if end <= positions.lowerBound { break }
                if start < positions.upperBound {
                    let inner = (max(positions.lowerBound, start) - start)..<(min(positions.upperBound, end) - start)
                    if !visit(child, inner, ascending: false, body) { return false }
                }
                end = start
            }
        }
        return true
    }
}
