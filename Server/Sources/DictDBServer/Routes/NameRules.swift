import DictDB

/// The names a request may give new tables and indexes: ASCII letters, digits, `_`, `-` and `.`, not
/// starting with `.`, at most 128 bytes, so every name is usable in a URL path as it is.
///
/// DictDB itself accepts more (any name without control characters); tables made elsewhere with such names
/// stay reachable with percent-encoding. Names are data inside the database and never name files.
enum NameRules {
    /// The longest name accepted.
    static let maximumLength = 128

    /// Checks a table or index name from a request.
    /// - Throws: ``DictDBError/Code/invalidArgument`` naming the rule broken.
    static func check(_ name: String, what: String) throws(DictDBError) {
        guard !name.isEmpty, name.utf8.count <= maximumLength else {
            throw DictDBError(
                .invalidArgument, "a \(what) name must have 1 to \(maximumLength) characters",
                context: .init(found: name))
        }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard allowed, !name.hasPrefix(".") else {
            throw DictDBError(
                .invalidArgument,
                "the \(what) name \(Value.string(name)) may hold only ASCII letters, digits, _, - and . (not first)",
                context: .init(found: name))
        }
    }
}
