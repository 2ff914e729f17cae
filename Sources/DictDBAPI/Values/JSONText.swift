/// Compact JSON text for values, used by `description` and error messages.
///
/// Doubles print in Swift's shortest round-trip form and always with a fraction or exponent
/// (`30103.0`), so an integer and a double stay distinguishable.
package enum JSONText {
    /// Appends `value` as compact JSON to `out`.
    package static func write(_ value: Value, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += format(d)
        case .string(let s): writeString(s, to: &out)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        case .object(let record):
            out += "{"
            var first = true
            for (name, element) in record {
                if !first { out += "," }
                first = false
                writeString(name, to: &out)
                out += ":"
                write(element, to: &out)
            }
            out += "}"
        }
    }

    /// Formats a double so it reads back as the same double and never as an integer.
    package static func format(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity") }
        let text = "\(d)"
        if text.contains(".") || text.contains("e") || text.contains("E") { return text }
        return text + ".0"
    }

    /// Appends `s` as a quoted JSON string with the required escapes.
    package static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
