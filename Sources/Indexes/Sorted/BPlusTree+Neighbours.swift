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
        @inline(__always)
        init(in leaf: Node, before: Int, after: Int, _ matches: (UnsafePointer<Element>) -> Bool) {
            if before < 0 {
                previousPending = true
            } else if leaf.key(at: before, satisfies: matches) {
                matched = true
                return
            }
            if after < leaf.keys.count {
                matched = leaf.key(at: after, satisfies: matches)
            } else {
                nextPending = true
            }
        }

        /// Resolves the pending neighbours that lie in the siblings of the child at `childIndex` of `node`.
        ///
        /// Most insertions and removals land inside a leaf, so nothing is pending and this returns at once.
        @inline(__always)
        mutating func resolve(in node: Node, childIndex: Int, _ matches: (UnsafePointer<Element>) -> Bool) {
            if matched || !(previousPending || nextPending) { return }
            resolvePending(in: node, childIndex: childIndex, matches)
        }

        /// ``resolve(in:childIndex:_:)`` when a neighbour is pending: the rare, out-of-line part.
        @inline(never)
        private mutating func resolvePending(
            in node: Node, childIndex: Int, _ matches: (UnsafePointer<Element>) -> Bool
        ) {
            if previousPending && childIndex > 0 {
                previousPending = false
                matched = BPlusTree.lastElement(of: node.children[childIndex - 1], satisfies: matches)
                if matched { return }
            }
            if nextPending && childIndex + 1 < node.children.count {
                nextPending = false
                matched = BPlusTree.firstElement(of: node.children[childIndex + 1], satisfies: matches)
            }
        }
    }

    /// Whether the largest element of a non-empty subtree satisfies `matches`.
    static func lastElement(of node: Node, satisfies matches: (UnsafePointer<Element>) -> Bool) -> Bool {
        var node = node
        while let last = node.children.last { node = last }
        return node.key(at: node.keys.count - 1, satisfies: matches)
    }

    /// Whether the smallest element of a non-empty subtree satisfies `matches`.
    static func firstElement(of node: Node, satisfies matches: (UnsafePointer<Element>) -> Bool) -> Bool {
        var node = node
        while let first = node.children.first { node = first }
        return node.key(at: 0, satisfies: matches)
    }
}
