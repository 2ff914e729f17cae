/// What a ``BPlusTree`` holds: distinct, totally ordered elements that its binary searches compare where
/// they are stored.
///
/// A search reads the keys of a node through a pointer. Comparing a stored key with `<` loads a copy of it
/// first (retaining whatever it references) whenever the comparison may call out of line; the requirement
/// here lets an element type decide its common cases from the stored bytes and copy only in the rare case
/// that needs it. The default simply uses `<`.
protocol BPlusTreeElement: Comparable, Sendable {
    /// Whether the element at `lhs` is below the element at `rhs`: `lhs.pointee < rhs.pointee`.
    static func isLess(_ lhs: UnsafePointer<Self>, than rhs: UnsafePointer<Self>) -> Bool
}

extension BPlusTreeElement {
    @inline(__always)
    static func isLess(_ lhs: UnsafePointer<Self>, than rhs: UnsafePointer<Self>) -> Bool {
        lhs.pointee < rhs.pointee
    }
}

/// Integer trees: the tests' model of a tree, with the default comparison.
extension Int: BPlusTreeElement {}
