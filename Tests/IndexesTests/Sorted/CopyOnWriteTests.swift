import DictDBAPI
import Testing

@testable import Indexes

/// Copies of trees and sorted indexes share nodes until one of them changes, and never see each other's
/// changes.
@Suite struct CopyOnWriteTests {
    @Test func mutatingACopyLeavesTheOriginalUnchanged() {
        for fanout in [4, 32] {
            var original = BPlusTree<Int>(fanout: fanout)
            for element in 0..<1000 { original.insert(element * 2) }
            let snapshot = original.elements

            var copy = original
            #expect(copy.root === original.root)
            for element in 0..<500 { copy.remove(element * 4) }
            for element in 0..<300 { copy.insert(element * 2 + 1) }

            #expect(original.elements == snapshot)
            #expect(original.invariantViolation() == nil)
            #expect(copy.invariantViolation() == nil)
            let expected = Set(snapshot).subtracting((0..<500).map { $0 * 4 }).union((0..<300).map { $0 * 2 + 1 })
            #expect(copy.elements == expected.sorted())
        }
    }

    @Test func mutatingTheOriginalLeavesTheCopyUnchanged() {
        var original = BPlusTree<Int>(fanout: 4)
        for element in 0..<200 { original.insert(element) }
        let copy = original
        for element in 0..<200 where element % 3 != 0 { original.remove(element) }
        original.insert(1000)
        #expect(copy.elements == Array(0..<200))
        #expect(copy.invariantViolation() == nil)
        #expect(original.elements == (0..<200).filter { $0 % 3 == 0 } + [1000])
        #expect(original.invariantViolation() == nil)
    }

    @Test func aChangeCopiesOnlyThePathToTheChangedLeaf() {
        var original = BPlusTree<Int>(fanout: 4)
        for element in 0..<100 { original.insert(element) }
        var copy = original
        copy.insert(1000)
        #expect(copy.root !== original.root)
        // Only the leaf that took the element (and the sibling it may have split off) is new.
        let originalLeaves = Set(leaves(of: original.root))
        let newLeaves = leaves(of: copy.root).filter { !originalLeaves.contains($0) }
        #expect((1...2).contains(newLeaves.count))
        #expect(originalLeaves.count > 10)
    }

    func leaves(of node: BPlusTreeNode<Int>) -> [ObjectIdentifier] {
        node.isLeaf ? [ObjectIdentifier(node)] : node.children.flatMap { leaves(of: $0) }
    }

    @Test func copiesOfChainedCopiesStayIndependent() {
        var generations: [BPlusTree<Int>] = [BPlusTree<Int>(fanout: 4)]
        var expected: [[Int]] = [[]]
        var random = SeededRandom(seed: 11)
        for generation in 1...30 {
            var next = generations[generation - 1]
            var contents = Set(expected[generation - 1])
            for _ in 0..<20 {
                let element = Int.random(in: 0..<120, using: &random)
                if random.chance(50) {
                    next.insert(element)
                    contents.insert(element)
                } else {
                    next.remove(element)
                    contents.remove(element)
                }
            }
            generations.append(next)
            expected.append(contents.sorted())
        }
        for (tree, contents) in zip(generations, expected) {
            #expect(tree.invariantViolation() == nil)
            #expect(tree.elements == contents)
        }
    }

    @Test func sortedIndexCopiesAreIndependent() {
        var original = SortedIndex(definition: IndexDefinition(name: "i", fields: ["f"], kind: "sorted"), fanout: 4)
        for row in 0..<300 { original.insert(key: .int(Int64(row % 37)), row: row) }
        let statistics = original.statistics
        var copy = original
        for row in 0..<300 where row % 2 == 0 { copy.remove(key: .int(Int64(row % 37)), row: row) }
        copy.insert(key: "new", row: 1000)
        #expect(original.statistics == statistics)
        #expect(original.rows(matching: .equal(5))?.count == 8)
        #expect(original.rows(matching: .equal("new")) == [])
        #expect(copy.rows(matching: .equal("new")) == [1000])
        #expect(copy.statistics.entries == 151)
        #expect(original.invariantViolation() == nil)
        #expect(copy.invariantViolation() == nil)
        original.removeAll()
        #expect(copy.statistics.entries == 151)
    }
}
