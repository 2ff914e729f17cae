// Neighbour checks for insertions and removals: whether the element just before or just after the one being
// inserted (or removed) satisfies a predicate, found during the same descent. A sorted index uses it to
// learn whether other entries share the key, keeping its count of distinct keys without a second descent.
//
// The leaf answers from the elements around the position. A neighbour that lies past the edge of the leaf is
// the last element of the subtree to the left (or the first of the subtree to the right) at the deepest
// ancestor where the descent did not take the first (or last) child; each ancestor resolves it on the way
// back up, before it relinks its children.

extension BPlusTree {
    /// Whether a neighbour matched, and which neighbours lie beyond the subtree seen so far.
    struct NeighbourMatch {
        /// Whether a neighbour matched.
        var matched = false
        /// Whether the previous neighbour lies to the left of the subtree seen so far (or does not exist).
        var previousPending = false
        /// Whether the next neighbour lies to the right of the subtree seen so far (or does not exist).
        var nextPending = false

        init() {}

        /// Checks the elements of `leaf` at `before` and `after`; a position outside the leaf leaves that
        /// neighbour pending.
        init(in leaf: Node, before: Int, after: Int, _ matches: (Element) -> Bool) {
            if before >= 0 {
                matched = matches(leaf.keys[before])
            } else {
                previousPending = true
            }
            if matched { return }
            if after < leaf.keys.count {
                matched = matches(leaf.keys[after])
            } else {
                nextPending = true
            }
        }

        /// Resolves the pending neighbours that lie in the siblings of the child at `childIndex` of `node`.
        mutating func resolve(in node: Node, childIndex: Int, _ matches: (Element) -> Bool) {
            if matched { return }
            if previousPending && childIndex > 0 {
                previousPending = false
                matched = matches(BPlusTree.lastElement(of: node.children[childIndex - 1]))
                if matched { return }
            }
            if nextPending && childIndex + 1 < node.children.count {
                nextPending = false
                matched = matches(BPlusTree.firstElement(of: node.children[childIndex + 1]))
            }
        }
    }

    /// The largest element of a non-empty subtree.
    static func lastElement(of node: Node) -> Element {
        var node = node
        while let last = node.children.last { node = last }
        return node.keys[node.keys.count - 1]
    }

    /// The smallest element of a non-empty subtree.
    static func firstElement(of node: Node) -> Element {
        var node = node
        while let first = node.children.first { node = first }
        return node.keys[0]
    }
}
