// Bulk loading: build a whole tree bottom-up from elements already in ascending order, instead of inserting
// them one at a time. Leaves are filled completely, left to right, then each internal level groups the nodes
// below it into parents of `fanout` children, until one node is left: the root. The last node of every
// level shares its elements (or children) with the node before it when it would otherwise fall below the
// minimum fill, so the result satisfies every invariant of `BPlusTree+Invariants.swift`.

extension BPlusTree {
    /// Replaces the contents with `elements`, which must be strictly ascending.
    ///
    /// Other copies of the tree keep their elements.
    /// - Precondition: `elements` is strictly ascending (checked in builds with internal checks).
    /// - Complexity: O(*n*).
    mutating func build(fromAscending elements: [Element]) {
        guard elements.count > fanout else {
            root = Node(leafElements: elements)
            #if DICTDB_INTERNAL_CHECKS
            _checkInvariants()
            #endif
            return
        }
        // The nodes of the level being built, and the smallest element of each one's subtree: the separator
        // that goes in front of it in its parent.
        var level: [Node] = []
        var smallest: [Element] = []
        let leafSizes = Self.groupSizes(total: elements.count, fanout: fanout, minimumFill: minimumFill)
        level.reserveCapacity(leafSizes.count)
        smallest.reserveCapacity(leafSizes.count)
        var start = 0
        for size in leafSizes {
            level.append(Node(leafElements: Array(elements[start..<(start + size)])))
            smallest.append(elements[start])
            start += size
        }
        while level.count > 1 {
            let sizes = Self.groupSizes(total: level.count, fanout: fanout, minimumFill: minimumFill)
            var parents: [Node] = []
            var parentSmallest: [Element] = []
            parents.reserveCapacity(sizes.count)
            parentSmallest.reserveCapacity(sizes.count)
            var first = 0
            for size in sizes {
                let children = Array(level[first..<(first + size)])
                let separators = Array(smallest[(first + 1)..<(first + size)])
                parents.append(Node(children: children, separators: separators))
                parentSmallest.append(smallest[first])
                first += size
            }
            level = parents
            smallest = parentSmallest
        }
        root = level[0]
        #if DICTDB_INTERNAL_CHECKS
        _checkInvariants()
        #endif
    }

    /// How to cut `total` items (elements or child nodes, `total > fanout`) into consecutive nodes: as many
    /// full nodes as fit, then the rest; if the rest is below `minimumFill`, the last two nodes split their
    /// items evenly instead (together they hold more than `fanout`, so each gets at least `minimumFill`).
    static func groupSizes(total: Int, fanout: Int, minimumFill: Int) -> [Int] {
        var sizes = Array(repeating: fanout, count: total / fanout)
        let rest = total % fanout
        if rest == 0 { return sizes }
        if rest >= minimumFill || sizes.isEmpty {
            sizes.append(rest)
        } else {
            let lastTwo = fanout + rest
            sizes[sizes.count - 1] = lastTwo - lastTwo / 2
            sizes.append(lastTwo / 2)
        }
        return sizes
    }
}
