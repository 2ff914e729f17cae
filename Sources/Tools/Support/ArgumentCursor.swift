/// A command-line mistake: the message to print before pointing at `--help` (the tools exit 2 on it).
public struct UsageError: Error, Sendable {
    /// What was wrong, such as `--cycles needs an integer of at least 1, not 'x'`.
    public var message: String

    /// Creates a usage error.
    public init(_ message: String) {
        self.message = message
    }
}

/// Walks a tool's arguments, one option at a time, reading `--name value` and `--name=value` alike.
///
/// ```swift
/// var cursor = ArgumentCursor(["--cycles", "3", "--seed=7", "file.ndjson"])
/// while let argument = cursor.next() {
///     switch argument {
///     case "--cycles": cycles = try cursor.integer(minimum: 1)
///     case "--seed": seed = try cursor.seed()
///     default: positional.append(try cursor.positional())
///     }
/// }
/// ```
///
/// The tools parse by hand: the package's argument parser is kept for the `dictdb` command line.
public struct ArgumentCursor {
    private var remaining: ArraySlice<String>
    private var inlineValue: String?
    private var current = ""

    /// A cursor over `arguments` (without the program name).
    public init(_ arguments: [String]) {
        remaining = arguments[...]
    }

    /// The next argument's name: `--name` for `--name=value` (whose value ``value()`` then returns), the
    /// argument itself otherwise; `nil` at the end.
    public mutating func next() -> String? {
        guard let argument = remaining.popFirst() else { return nil }
        inlineValue = nil
        current = argument
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            inlineValue = String(argument[argument.index(after: equals)...])
            current = String(argument[..<equals])
        }
        return current
    }

    /// The argument ``next()`` returned, as a positional argument (a file name).
    /// - Throws: ``UsageError`` when it looks like an option (starts with `-` and is not `-` alone).
    public func positional() throws(UsageError) -> String {
        if current.hasPrefix("-") && current != "-" || inlineValue != nil {
            throw UsageError("unknown option '\(current)'")
        }
        return current
    }

    /// The value of the option ``next()`` returned: the part after `=`, else the following argument.
    /// - Throws: ``UsageError`` when there is none.
    public mutating func value() throws(UsageError) -> String {
        if let inlineValue {
            self.inlineValue = nil
            return inlineValue
        }
        guard let next = remaining.popFirst() else { throw UsageError("\(current) needs a value") }
        return next
    }

    /// The option's value as an integer within `minimum...maximum`.
    /// - Throws: ``UsageError`` for a missing, malformed or out-of-range value.
    public mutating func integer(minimum: Int, maximum: Int = .max) throws(UsageError) -> Int {
        let text = try value()
        guard let number = Int(text), number >= minimum, number <= maximum else {
            let range = maximum == .max ? "of at least \(minimum)" : "from \(minimum) to \(maximum)"
            throw UsageError("\(current) needs an integer \(range), not '\(text)'")
        }
        return number
    }

    /// The option's value as a finite number greater than `exclusiveMinimum`.
    /// - Throws: ``UsageError`` for a missing, malformed or out-of-range value.
    public mutating func number(greaterThan exclusiveMinimum: Double) throws(UsageError) -> Double {
        let text = try value()
        guard let number = Double(text), number.isFinite, number > exclusiveMinimum else {
            throw UsageError("\(current) needs a number greater than \(exclusiveMinimum), not '\(text)'")
        }
        return number
    }

    /// The option's value as a 64-bit seed, decimal or `0x` hexadecimal.
    /// - Throws: ``UsageError`` for a missing or malformed value.
    public mutating func seed() throws(UsageError) -> UInt64 {
        let text = try value()
        let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let parsed else { throw UsageError("\(current) needs an unsigned 64-bit integer, not '\(text)'") }
        return parsed
    }

    /// The option's value, which must be one of `choices`.
    /// - Throws: ``UsageError`` naming the choices.
    public mutating func choice(_ choices: [String]) throws(UsageError) -> String {
        let text = try value()
        guard choices.contains(text) else {
            throw UsageError("\(current) must be \(Self.list(choices)), not '\(text)'")
        }
        return text
    }

    /// The option's value split at commas, empty items dropped.
    /// - Throws: ``UsageError`` when the value is missing or holds no item.
    public mutating func list() throws(UsageError) -> [String] {
        let items = try value().split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw UsageError("\(current) needs a comma-separated list") }
        return items
    }

    /// `a, b or c`.
    public static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " or " + last
    }
}
