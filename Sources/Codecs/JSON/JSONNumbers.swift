import DictDBAPI

// Numbers in JSON text: integers print as integers, doubles in Swift's shortest round-trip form and always
// with a `.` or an exponent (`30103.0`), so that an int and a double never read back as each other.

/// The number of decimal digits of `value` (1 for 0).
@inline(__always)
func decimalDigitCount(_ value: UInt64) -> Int {
    var count = 1
    var rest = value
    while rest >= 10_000 {
        rest /= 10_000
        count &+= 4
    }
    if rest >= 100 {
        rest /= 100
        count &+= 2
    }
    if rest >= 10 { count &+= 1 }
    return count
}

extension ByteOutput {
    /// Writes `value` in decimal (`-12`, `0`, `9223372036854775807`).
    @inline(__always)
    mutating func appendDecimal(_ value: Int64) throws(DictDBError) {
        try reserve(20)
        if value < 0 { appendUnchecked(UInt8(ascii: "-")) }
        appendDecimalUnchecked(value.magnitude)
    }

    /// Writes the digits of `value`; at least 20 bytes of room must have been reserved.
    @inline(__always)
    mutating func appendDecimalUnchecked(_ value: UInt64) {
        let digits = decimalDigitCount(value)
        var cursor = start + count + digits
        var rest = value
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100)
            rest /= 100
            cursor -= 2
            cursor[0] = UInt8(truncatingIfNeeded: 0x30 &+ pair / 10)
            cursor[1] = UInt8(truncatingIfNeeded: 0x30 &+ pair % 10)
        }
        if rest >= 10 {
            cursor -= 2
            cursor[0] = UInt8(truncatingIfNeeded: 0x30 &+ rest / 10)
            cursor[1] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
        } else {
            cursor -= 1
            cursor[0] = UInt8(truncatingIfNeeded: 0x30 &+ rest)
        }
        count &+= digits
    }

    /// Writes a finite double in its shortest round-trip form, always with a `.` or an exponent.
    ///
    /// The caller checks finiteness (JSON has no NaN or infinity).
    mutating func appendJSONDouble(_ value: Double) throws(DictDBError) {
        // Integral values below 2^53 are common (30103.0): Swift prints them as the integer plus `.0`, and so
        // do we, without building a string.
        if value.magnitude < 9_007_199_254_740_992 && value == value.rounded(.towardZero) {
            try reserve(24)
            if value.sign == .minus { appendUnchecked(UInt8(ascii: "-")) }
            appendDecimalUnchecked(UInt64(value.magnitude))
            appendUnchecked(UInt8(ascii: "."))
            appendUnchecked(UInt8(ascii: "0"))
            return
        }
        try reserve(40)
        var text = value.description
        var needsFraction = true
        text.withUTF8 { utf8 in
            let cursor = start + count
            for (i, byte) in utf8.enumerated() {
                cursor[i] = byte
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    needsFraction = false
                }
            }
            count &+= utf8.count
        }
        if needsFraction {
            appendUnchecked(UInt8(ascii: "."))
            appendUnchecked(UInt8(ascii: "0"))
        }
    }
}

/// Exact powers of ten up to 10^22, the largest that a double holds exactly.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
]

/// Parses the bytes of one JSON number token, already cut out of the input.
enum JSONNumberParser {
    /// The result of a parse: a value, or what is wrong with the token.
    enum Outcome {
        /// A well-formed, representable number.
        case value(Value)
        /// Not a JSON number.
        case malformed(String)
        /// A well-formed number the data model cannot hold.
        case outOfRange(String)
    }

    /// Parses `token` (the bytes of `-?digits(.digits)?([eE][+-]?digits)?`): ints without `.`/`e`/`E`,
    /// doubles with them.
    static func parse(_ token: UnsafeBufferPointer<UInt8>) -> Outcome {
        let n = token.count
        var i = 0
        var negative = false
        if i < n && token[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < n else { return .malformed("a minus sign without digits") }
        // Significant digits gathered into a mantissa (up to 19), and how many did not fit.
        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        var droppedDigits = 0
        var decimalExponent = 0
        let integerStart = i
        if token[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(token[i]) { return .malformed("a leading zero") }
        } else if isDigit(token[i]) {
            while i < n && isDigit(token[i]) {
                if mantissaDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(token[i] &- 0x30)
                    mantissaDigits += 1
                } else {
                    droppedDigits += 1
                }
                i += 1
            }
        } else {
            return .malformed("a number must start with a digit")
        }
        let integerDigits = i - integerStart
        var isDouble = false
        if i < n && token[i] == UInt8(ascii: ".") {
            isDouble = true
            i += 1
            let fractionStart = i
            while i < n && isDigit(token[i]) {
                if mantissaDigits < 19 {
                    if mantissa != 0 || token[i] != UInt8(ascii: "0") {
                        mantissa = mantissa &* 10 &+ UInt64(token[i] &- 0x30)
                        mantissaDigits += 1
                    }
                    decimalExponent -= 1
                } else {
                    droppedDigits += 1
                }
                i += 1
            }
            guard i > fractionStart else { return .malformed("a decimal point must be followed by digits") }
        }
        if i < n && (token[i] == UInt8(ascii: "e") || token[i] == UInt8(ascii: "E")) {
            isDouble = true
            i += 1
            var exponentNegative = false
            if i < n && (token[i] == UInt8(ascii: "+") || token[i] == UInt8(ascii: "-")) {
                exponentNegative = token[i] == UInt8(ascii: "-")
                i += 1
            }
            let exponentStart = i
            var exponent = 0
            while i < n && isDigit(token[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(token[i] &- 0x30) }
                i += 1
            }
            guard i > exponentStart else { return .malformed("an exponent must have digits") }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        guard i == n else { return .malformed("unexpected character in a number") }

        if !isDouble {
            return parseInteger(token, negative: negative, digits: integerDigits)
        }
        // Clinger's fast path: a mantissa and a power of ten both exact in a double give a correctly rounded
        // quotient or product. Anything else (more than 19 digits, large exponents) goes to the full parser.
        if droppedDigits == 0 && mantissa <= 1 << 53 && decimalExponent >= -22 && decimalExponent <= 22 {
            var result = Double(mantissa)
            if decimalExponent < 0 {
                result /= exactPowersOfTen[-decimalExponent]
            } else {
                result *= exactPowersOfTen[decimalExponent]
            }
            return .value(.double(negative ? -result : result))
        }
        guard let parsed = Double(String(decoding: token, as: UTF8.self)), parsed.isFinite else {
            return .outOfRange("\(String(decoding: token, as: UTF8.self)) is beyond the range of a double")
        }
        return .value(.double(parsed))
    }

    /// The integer of a token without fraction or exponent, whose integer part has `digits` digits.
    private static func parseInteger(_ token: UnsafeBufferPointer<UInt8>, negative: Bool, digits: Int) -> Outcome {
        let start = negative ? 1 : 0
        guard digits <= 19 else { return outOfRange(token) }
        var magnitude: UInt64 = 0
        for i in start..<token.count {
            magnitude = magnitude * 10 + UInt64(token[i] &- 0x30)
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return outOfRange(token) }
            return .value(.int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)))
        }
        guard magnitude <= UInt64(Int64.max) else { return outOfRange(token) }
        return .value(.int(Int64(magnitude)))
    }

    private static func outOfRange(_ token: UnsafeBufferPointer<UInt8>) -> Outcome {
        .outOfRange("integer \(String(decoding: token, as: UTF8.self)) is outside the 64-bit range")
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
}
