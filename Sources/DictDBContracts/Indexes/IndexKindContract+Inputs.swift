import DictDBAPI

// The keys and predicates the index check uses unless told otherwise: the cases that trip indexes.

extension IndexKindContract {
    /// Keys of every kind, with the cases that trip indexes: null; ints and doubles that are equal (`1` and
    /// `1.0`, a large integer next to the nearest double); strings sharing prefixes and substrings, in mixed
    /// case and beyond ASCII (`"é"` precomposed and decomposed, which are different keys); bools; arrays
    /// (of numbers and of strings, so `contains` on array keys is exercised); objects.
    public static let standardKeys: [Value] = [
        .null, false, true,
        0, 1, .double(1.0), 2.5, -3, .double(-0.5), .int(9_007_199_254_740_993), .double(9_007_199_254_740_992.0),
        "", "a", "A", "ab", "abc", "abd", "b", "bab", "xyz", "\u{e9}", "e\u{301}", "caf\u{e9}", "cafe\u{301}",
        "\u{1F600}a", "a\u{10FFFF}",
        [], [1], [.double(1.0), 2], ["ab", "c"], ["a"], ["\u{e9}", "x"], [[1], 2],
        ["k": 1], ["k": "ab"],
    ]

    /// Keys for an index over two fields: arrays of two parts, as `IndexDefinition.key(for:)` makes them
    /// (nulls, equal ints and doubles, strings sharing prefixes, arrays), and a few of other lengths.
    public static let standardCompositeKeys: [Value] = {
        let firsts: [Value] = [.null, false, 1, .double(1.0), 2.5, "a", "ab", "b", [1]]
        let seconds: [Value] = [.null, 1, .double(2.0), 3, "a", "ab", "\u{e9}"]
        var keys: [Value] = []
        for (offset, first) in firsts.enumerated() {
            for (position, second) in seconds.enumerated() where (offset + position) % 2 == 0 {
                keys.append([first, second])
            }
        }
        return keys + [["a"], ["a", 1, 2], [], .null, "a"]
    }()

    /// Predicates of every case: `equal` (across int and double, null, composite), `anyOf`, `range` (open
    /// and closed bounds, int and double bounds mixed, strings, arrays, mixed kinds that match nothing, no
    /// bound at all), `prefix` (empty, non-ASCII, precomposed and decomposed), `contains` (the empty string,
    /// texts shorter than 3 bytes, combining marks, texts no key holds) and `compositeRange` (for indexes
    /// over several fields; others may answer `nil`).
    public static let standardPredicates: [IndexPredicate] = {
        func bound(_ value: Value, _ inclusive: Bool = true) -> RangeBound { RangeBound(value, inclusive: inclusive) }
        var predicates: [IndexPredicate] = [
            .equal(.double(1.0)), .equal(.double(2.0)), .equal(.null), .equal([.double(1.0)]),
            .equal(["k": .double(1.0)]), .equal(99), .equal(["a", 1]), .equal([.double(1.0), 2.0]),
            .anyOf([1, "a", .null, .double(1.0)]), .anyOf([]), .anyOf(["ab", [1], true]), .anyOf([2.5, 2.5]),
            .anyOf([["a", 1], [1, .null]]),
        ]
        predicates += [
            .range(lower: bound(1), upper: nil), .range(lower: bound(1, false), upper: nil),
            .range(lower: bound(0), upper: bound(2.5)), .range(lower: bound(0, false), upper: bound(2.5, false)),
            .range(lower: nil, upper: bound(1, false)), .range(lower: nil, upper: bound(.double(1.0))),
            .range(lower: bound(.double(1.0), false), upper: bound(3)),
            .range(lower: bound(.int(9_007_199_254_740_992)), upper: nil),
            .range(lower: nil, upper: bound(.double(9_007_199_254_740_992.0))),
            .range(lower: bound("a"), upper: bound("b", false)), .range(lower: bound("ab", false), upper: bound("b")),
            .range(lower: bound("a"), upper: bound(3)), .range(lower: bound(.null), upper: nil),
            .range(lower: bound(false), upper: nil), .range(lower: nil, upper: bound(true, false)),
            .range(lower: bound([1]), upper: bound([2])), .range(lower: bound([]), upper: nil),
            .range(lower: bound(["k": 0]), upper: nil), .range(lower: bound(2), upper: bound(1)),
            .range(lower: nil, upper: nil),
        ]
        predicates += ["", "a", "ab", "A", "b", "e", "\u{e9}", "e\u{301}", "caf", "\u{1F600}", "a\u{10FFFF}", "z"]
            .map { .prefix($0) }
        predicates += [
            "", "a", "b", "ab", "bc", "ba", "abd", "c", "e", "\u{301}", "\u{e9}", "e\u{301}", "f\u{e9}", "xyz",
            "abcd", "\u{10FFFF}", "x",
        ].map { .contains($0) }
        predicates += [
            .compositeRange(equal: [], lower: nil, upper: nil),
            .compositeRange(equal: [], lower: bound("a", false), upper: nil),
            .compositeRange(equal: [], lower: bound(1), upper: bound(2.5)),
            .compositeRange(equal: ["ab"], lower: nil, upper: nil),
            .compositeRange(equal: [1], lower: bound(1), upper: nil),
            .compositeRange(equal: [.double(1.0)], lower: nil, upper: bound(3, false)),
            .compositeRange(equal: [.null], lower: nil, upper: nil),
            .compositeRange(equal: ["a"], lower: bound("a"), upper: bound("z")),
            .compositeRange(equal: ["a"], lower: bound(1), upper: bound("z")),
            .compositeRange(equal: [1, 2], lower: nil, upper: nil),
            .compositeRange(equal: [false], lower: bound(.null), upper: nil),
        ]
        return predicates
    }()
}
