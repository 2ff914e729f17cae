// How DictDB compares strings: by Unicode code points, the order of their UTF-8 bytes (SQLite's BINARY
// collation), with no normalization. "é" written as one code point (U+00E9) and as "e" + U+0301 are
// different strings here, as they are in SQLite and PostgreSQL.
//
// Swift's own String comparison is not usable as an index order: it normalizes, and on this toolchain
// `"e\u{301}"` and `"éa"` are neither equal nor ordered either way. Every string operation of conditions
// (equality, order, prefix, suffix, contains, LIKE) works on code points, so indexes and scans agree.

/// Code-point string operations shared by values, conditions and indexes.
package enum StringOrder {
    /// Whether two strings have the same code points.
    @inlinable
    package static func equal(_ a: String, _ b: String) -> Bool {
        // The same representation (the same small string, or the same storage) is the same code points:
        // the usual case when a key meets the copy an index or a record keeps of it.
        if Record.sameRepresentation(a, b) { return true }
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memoryEqual(x, y))
            }
        }
    }

    /// Three-way comparison by code points: negative, zero or positive.
    @inlinable
    package static func compare(_ a: String, _ b: String) -> Int {
        if Record.sameRepresentation(a, b) { return 0 }
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                for i in 0..<n where x[i] != y[i] {
                    return x[i] < y[i] ? -1 : 1
                }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
    }

    /// Hashes the code points of `s`.
    @inlinable
    package static func hash(_ s: String, into hasher: inout Hasher) {
        var s = s
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `s` starts with the code points of `prefix`.
    @inlinable
    package static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.utf8.starts(with: prefix.utf8)
    }

    /// Whether `s` ends with the code points of `suffix`.
    @inlinable
    package static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        s.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// Whether the code points of `needle` occur in `s`.
    package static func contains(_ s: String, _ needle: String) -> Bool {
        let haystack = Array(s.utf8)
        let pattern = Array(needle.utf8)
        if pattern.isEmpty { return true }
        if pattern.count > haystack.count { return false }
        let first = pattern[0]
        var i = 0
        while i <= haystack.count - pattern.count {
            if haystack[i] == first {
                var j = 1
                while j < pattern.count && haystack[i + j] == pattern[j] { j += 1 }
                if j == pattern.count { return true }
            }
            i += 1
        }
        return false
    }

    @usableFromInline
    static func memoryEqual(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
    }
}
