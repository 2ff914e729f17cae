import DictDB

/// Compares values and records exactly: unlike `==` (where `1 == 1.0` and field order does not matter),
/// an int differs from a double, doubles compare by bit pattern (`-0.0` is not `0.0`), and fields must come
/// in the same order. What a save/load round trip must preserve.
public enum StrictComparison {
    /// Where two values first differ, as a path and both sides (`$.tags[2]: "a" vs "b"`), or `nil` when they
    /// are identical.
    public static func difference(_ left: Value, _ right: Value, path: String = "$") -> String? {
        switch (left, right) {
        case (.null, .null):
            return nil
        case (.bool(let a), .bool(let b)):
            return a == b ? nil : "\(path): \(left) vs \(right)"
        case (.int(let a), .int(let b)):
            return a == b ? nil : "\(path): \(left) vs \(right)"
        case (.double(let a), .double(let b)):
            return a.bitPattern == b.bitPattern ? nil : "\(path): \(left) vs \(right) (double bits differ)"
        case (.string(let a), .string(let b)):
            guard a.unicodeScalars.elementsEqual(b.unicodeScalars) else {
                return "\(path): \(describe(left)) vs \(describe(right))"
            }
            return nil
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return "\(path): \(a.count) elements vs \(b.count)" }
            for index in a.indices {
                if let found = difference(a[index], b[index], path: "\(path)[\(index)]") { return found }
            }
            return nil
        case (.object(let a), .object(let b)):
            return difference(a, b, path: path)
        default:
            return "\(path): \(left.typeName) \(describe(left)) vs \(right.typeName) \(describe(right))"
        }
    }

    /// Where two records first differ (field names and order, then values), or `nil` when identical.
    public static func difference(_ left: Record, _ right: Record, path: String = "$") -> String? {
        guard left.fieldNames == right.fieldNames else {
            return "\(path): fields \(left.fieldNames) vs \(right.fieldNames)"
        }
        for (index, name) in left.fieldNames.enumerated() {
            if let found = difference(left.values[index], right.values[index], path: "\(path).\(name)") {
                return found
            }
        }
        return nil
    }

    /// A value for a message, cut to 80 characters.
    private static func describe(_ value: Value) -> String {
        let text = value.description
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
