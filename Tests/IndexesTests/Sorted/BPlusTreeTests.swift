import Testing

@testable import Indexes

/// The B+tree alone, with fanout 4 so that a few dozen elements already split, borrow and merge at every
/// level: every size up to 40, several insertion orders, several removal orders, checked after every step.
@Suite struct BPlusTreeTests {
    static let fanout = 4

    /// Orders in which to insert or remove `0..<n`.
    static func orders(of n: Int) -> [[Int]] {
        let ascending = Array(0..<n)
        var zigzag: [Int] = []
        var low = 0
        var high = n - 1
        while low <= high {
            zigzag.append(low)
            if low != high { zigzag.append(high) }
            low += 1
            high -= 1
        }
        let middleOut = ascending.sorted { (abs(2 * $0 - n), $0) < (abs(2 * $1 - n), $1) }
        var random = SeededRandom(seed: UInt64(n) &* 7919)
        let shuffles = (0..<3).map { _ in ascending.shuffled(using: &random) }
        return [ascending, ascending.reversed(), zigzag, middleOut] + shuffles
    }

    func expectSound(_ tree: BPlusTree<Int>, holding expected: [Int], _ comment: Comment) {
        #expect(tree.invariantViolation() == nil, comment)
        #expect(tree.count == expected.count, comment)
        #expect(tree.elements == expected.sorted(), comment)
    }

    @Test func everySizeUpTo40StaysSoundThroughEveryInsertionAndRemovalOrder() {
        for n in 0...40 {
            for (insertionNumber, insertion) in Self.orders(of: n).enumerated() {
                var tree = BPlusTree<Int>(fanout: Self.fanout)
                var inserted: [Int] = []
                for element in insertion {
                    let isNew = tree.insert(element)
                    #expect(isNew)
                    inserted.append(element)
                    expectSound(tree, holding: inserted, "n=\(n) insertion \(insertionNumber) after \(element)")
                }
                for (removalNumber, removal) in Self.orders(of: n).enumerated() {
                    var shrinking = tree
                    var remaining = Set(inserted)
                    for element in removal {
                        let wasPresent = shrinking.remove(element)
                        #expect(wasPresent)
                        remaining.remove(element)
                        expectSound(
                            shrinking, holding: Array(remaining),
                            "n=\(n) insertion \(insertionNumber) removal \(removalNumber) after \(element)")
                    }
                    #expect(shrinking.isEmpty)
                    #expect(shrinking.height == 1)
                }
                expectSound(tree, holding: inserted, "n=\(n) insertion \(insertionNumber) after the removals")
            }
        }
    }

    @Test func insertingAPresentElementOrRemovingAnAbsentOneChangesNothing() {
        for n in 0...40 {
            var tree = BPlusTree<Int>(fanout: Self.fanout)
            for element in stride(from: 0, to: 2 * n, by: 2) { tree.insert(element) }
            let before = tree.elements
            for element in stride(from: 0, to: 2 * n, by: 2) {
                let isNew = tree.insert(element)
                #expect(!isNew)
            }
            for element in stride(from: -1, through: 2 * n, by: 2) {
                let wasPresent = tree.remove(element)
                #expect(!wasPresent)
            }
            #expect(tree.elements == before)
            #expect(tree.invariantViolation() == nil)
        }
    }

    @Test func ranksLookupsAndVisitsAgreeWithASortedArrayAtEverySize() {
        for n in 0...40 {
            var random = SeededRandom(seed: UInt64(n))
            var tree = BPlusTree<Int>(fanout: Self.fanout)
            // Even elements, so that odd thresholds fall between them.
            for element in Array(0..<n).shuffled(using: &random) { tree.insert(2 * element) }
            let sorted = (0..<n).map { 2 * $0 }
            for threshold in -1...(2 * n + 1) {
                let expectedRank = sorted.filter { $0 < threshold }.count
                #expect(tree.rank { $0 < threshold } == expectedRank, "n=\(n) threshold \(threshold)")
                #expect(tree.first(notBefore: { $0 < threshold }) == sorted.first { $0 >= threshold })
                #expect(tree.contains(threshold) == sorted.contains(threshold))
            }
            for position in -1...n {
                let expected = sorted.indices.contains(position) ? sorted[position] : nil
                #expect(tree.element(at: position) == expected, "n=\(n) position \(position)")
            }
            for start in 0...n {
                for end in start...n {
                    #expect(visit(tree, start..<end, ascending: true) == Array(sorted[start..<end]))
                    #expect(visit(tree, start..<end, ascending: false) == Array(sorted[start..<end].reversed()))
                }
            }
        }
    }

    func visit(_ tree: BPlusTree<Int>, _ positions: Range<Int>, ascending: Bool) -> [Int] {
        var seen: [Int] = []
        tree.forEach(in: positions, ascending: ascending) { element in
            seen.append(element)
            return true
        }
        return seen
    }

    @Test func visitsStopWhenTheBodySaysSo() {
        var tree = BPlusTree<Int>(fanout: Self.fanout)
        for element in 0..<100 { tree.insert(element) }
        for limit in [0, 1, 7, 50, 79] {
            var seen: [Int] = []
            let finished = tree.forEach(in: 10..<90, ascending: true) { element in
                if seen.count == limit { return false }
                seen.append(element)
                return true
            }
            #expect(!finished)
            #expect(seen == Array(10..<(10 + limit)))
            seen = []
            tree.forEach(in: 10..<90, ascending: false) { element in
                if seen.count == limit { return false }
                seen.append(element)
                return true
            }
            #expect(seen == Array((90 - limit)..<90).reversed())
        }
        #expect(tree.forEach(in: -5..<500, ascending: true) { _ in true })
    }

    @Test func heightGrowsLogarithmicallyAndShrinksBack() {
        var tree = BPlusTree<Int>(fanout: Self.fanout)
        #expect(tree.height == 1)
        for element in 0..<4 { tree.insert(element) }
        #expect(tree.height == 1)
        tree.insert(4)
        #expect(tree.height == 2)
        for element in 5..<1000 { tree.insert(element) }
        // Nodes hold 2 to 4 entries: 1000 elements need between log4(1000) and log2(1000) levels.
        #expect((5...10).contains(tree.height))
        for element in 0..<1000 { tree.remove(element) }
        #expect(tree.height == 1)
        #expect(tree.isEmpty)
    }

    @Test func randomMixesOfInsertionsAndRemovalsMatchASet() {
        for fanout in [4, 5, 6, 7, 32] {
            var random = SeededRandom(seed: UInt64(fanout))
            var tree = BPlusTree<Int>(fanout: fanout)
            var model = Set<Int>()
            for step in 0..<4000 {
                let element = Int.random(in: 0..<300, using: &random)
                if random.chance(45) {
                    let wasPresent = tree.remove(element)
                    #expect(wasPresent == (model.remove(element) != nil))
                } else {
                    let isNew = tree.insert(element)
                    #expect(isNew == model.insert(element).inserted)
                }
                if step % 50 == 0 {
                    #expect(tree.invariantViolation() == nil, "fanout \(fanout) step \(step)")
                    #expect(tree.elements == model.sorted(), "fanout \(fanout) step \(step)")
                }
            }
            #expect(tree.invariantViolation() == nil)
            #expect(tree.elements == model.sorted())
        }
    }
}
