import DictDBAPI
import Testing

@testable import Indexes

/// Nodes never reserve more storage than they can hold (`fanout + 1` keys or children), whatever the order of
/// insertions, removals, bulk builds and copy-on-write copies: memory per element stays predictable.
@Suite struct NodeCapacityTests {
    /// The largest capacity allowed for an array of `Item`s that must hold `count` items: the allocator
    /// rounds blocks up (to its alignment and minimum sizes), which an array turns into spare capacity of
    /// less than 32 bytes. Doubling, which the bound rules out, would add at least `count` items.
    func allowedCapacity<Item>(_ count: Int, of item: Item.Type) -> Int {
        count + 31 / MemoryLayout<Item>.stride
    }

    /// Descriptions of the nodes whose arrays reserve more than the bound.
    func oversizedNodes<Element>(_ node: BPlusTreeNode<Element>, fanout: Int, depth: Int = 1) -> [String] {
        var found: [String] = []
        let keyBound = max(node.keys.count, allowedCapacity(fanout + 1, of: Element.self))
        if node.keys.capacity > keyBound {
            found.append("depth \(depth): \(node.keys.count) keys in a capacity of \(node.keys.capacity)")
        }
        if !node.isLeaf {
            let childBound = allowedCapacity(fanout + 1, of: BPlusTreeNode<Element>.self)
            if node.children.capacity > childBound {
                found.append(
                    "depth \(depth): \(node.children.count) children in a capacity of \(node.children.capacity)")
            }
            for child in node.children { found += oversizedNodes(child, fanout: fanout, depth: depth + 1) }
        }
        return found
    }

    @Test(arguments: [4, 5, 32])
    func insertionsAndRemovalsKeepEveryNodeWithinItsBound(fanout: Int) {
        var random = SeededRandom(seed: UInt64(fanout))
        var tree = BPlusTree<Int>(fanout: fanout)
        let elements = Array(0..<3000).shuffled(using: &random)
        for element in elements { tree.insert(element) }
        #expect(oversizedNodes(tree.root, fanout: fanout) == [])
        for element in elements.prefix(2000) { tree.remove(element) }
        #expect(oversizedNodes(tree.root, fanout: fanout) == [])
        #expect(tree.invariantViolation() == nil)
    }

    @Test(arguments: [4, 32])
    func ascendingInsertionsKeepEveryNodeWithinItsBound(fanout: Int) {
        // The leftmost leaf used to keep the capacity it had grown to as the first root.
        var tree = BPlusTree<Int>(fanout: fanout)
        for element in 0..<2000 { tree.insert(element) }
        #expect(oversizedNodes(tree.root, fanout: fanout) == [])
    }

    @Test(arguments: [4, 32])
    func copiesAndBulkBuiltTreesStayWithinTheBound(fanout: Int) {
        var tree = BPlusTree<Int>(fanout: fanout)
        tree.build(fromAscending: Array(stride(from: 0, to: 4000, by: 2)))
        var copy = tree
        var random = SeededRandom(seed: 5)
        for _ in 0..<1500 { copy.insert(Int.random(in: 0..<4000, using: &random)) }
        for _ in 0..<500 { copy.remove(Int.random(in: 0..<4000, using: &random)) }
        #expect(oversizedNodes(copy.root, fanout: fanout) == [])
        #expect(oversizedNodes(tree.root, fanout: fanout) == [])
        #expect(tree.elements == Array(stride(from: 0, to: 4000, by: 2)))
        #expect(copy.invariantViolation() == nil)
    }

    @Test func aSortedIndexOfDoublesKeepsItsLeavesWithinTheBound() {
        var index = SortedIndex(definition: IndexDefinition(name: "salary", fields: ["salary"], kind: "sorted"))
        var random = SeededRandom(seed: 99)
        for row in 0..<5000 { index.insert(key: .double(Double.random(in: 0..<1e6, using: &random)), row: row) }
        #expect(index.layout == .doubles)
        #expect(oversizedNodes(index.numbers.root, fanout: BPlusTree<NumberEntry>.defaultFanout) == [])
        #expect(index.statistics.entries == 5000)
    }

    @Test func aSortedIndexOfStringsKeepsItsLeavesWithinTheBound() {
        var index = SortedIndex(definition: IndexDefinition(name: "name", fields: ["name"], kind: "sorted"))
        var random = SeededRandom(seed: 98)
        for row in 0..<5000 {
            index.insert(key: .string("n\(Int.random(in: 0..<1_000_000, using: &random))"), row: row)
        }
        #expect(index.layout == .values)
        #expect(oversizedNodes(index.tree.root, fanout: BPlusTree<SortedIndexEntry>.defaultFanout) == [])
        #expect(index.statistics.entries == 5000)
    }
}
