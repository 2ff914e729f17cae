// The invariants of a B+tree, checked after every mutation in builds with `-DDICTDB_INTERNAL_CHECKS`, and by
// the tests through `invariantViolation()` in every build.

extension BPlusTree {
    #if DICTDB_INTERNAL_CHECKS
    /// Stops the program if the tree breaks one of its invariants. Only compiled with internal checks on.
    /// - Complexity: O(*n*).
    func _checkInvariants() {
        if let violation = invariantViolation() {
            preconditionFailure("B+tree invariant broken: \(violation)")
        }
    }
    #endif

    /// A description of the first broken invariant, or `nil` if the tree is sound:
    ///
    /// - keys strictly ascend within every node, and every element and separator of a subtree lies between
    ///   the separators that bound it in its ancestors (at or above the lower one, below the upper one);
    /// - an internal node has one more child than separators;
    /// - every node but the root holds between `fanout / 2` and `fanout` elements (leaves) or children
    ///   (internal nodes); the root holds at most `fanout` elements, or 2 to `fanout` children;
    /// - all leaves lie at the same depth;
    /// - every node's count is the number of elements in its subtree.
    ///
    /// - Complexity: O(*n*).
    func invariantViolation() -> String? {
        if !root.isLeaf && root.children.count < 2 {
            return "the internal root has \(root.children.count) child(ren)"
        }
        var leafDepth: Int?
        return check(root, depth: 1, lower: nil, upper: nil, isRoot: true, leafDepth: &leafDepth)
    }

    private func check(
        _ node: Node, depth: Int, lower: Element?, upper: Element?, isRoot: Bool, leafDepth: inout Int?
    ) -> String? {
        let path = "node at depth \(depth)"
        for (previous, next) in zip(node.keys, node.keys.dropFirst()) where !(previous < next) {
            return "\(path): keys out of order (\(previous) then \(next))"
        }
        if let lower, let first = node.keys.first, first < lower {
            return "\(path): key \(first) below the separator \(lower) that bounds it"
        }
        if let upper, let last = node.keys.last, !(last < upper) {
            return "\(path): key \(last) not below the separator \(upper) that bounds it"
        }
        if node.fill > fanout {
            return "\(path): fill \(node.fill) exceeds the fanout \(fanout)"
        }
        if !isRoot && node.fill < minimumFill {
            return "\(path): fill \(node.fill) below the minimum \(minimumFill)"
        }
        if node.isLeaf {
            if node.count != node.keys.count {
                return "\(path): leaf count \(node.count) but \(node.keys.count) elements"
            }
            if let leafDepth, leafDepth != depth {
                return "leaves at depths \(leafDepth) and \(depth)"
            }
            leafDepth = depth
            return nil
        }
        if node.keys.count != node.children.count - 1 {
            return "\(path): \(node.children.count) children but \(node.keys.count) separators"
        }
        var total = 0
        for (index, child) in node.children.enumerated() {
            let childLower = index == 0 ? lower : node.keys[index - 1]
            let childUpper = index == node.keys.count ? upper : node.keys[index]
            if let violation = check(
                child, depth: depth + 1, lower: childLower, upper: childUpper, isRoot: false,
                leafDepth: &leafDepth)
            {
                return violation
            }
            total += child.count
        }
        if node.count != total {
            return "\(path): count \(node.count) but its children hold \(total)"
        }
        return nil
    }
}
