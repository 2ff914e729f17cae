/// ISO 8601 timestamps in UTC, written and read by hand so that no calendar, locale or time-zone
/// machinery is needed (and no platform availability applies).
///
/// Writes `2024-05-01T12:30:00Z`, with milliseconds when the time has them (`2024-05-01T12:30:00.250Z`).
/// Reads the same form (with `T` or a space between date and time), any number of fraction digits, and
/// a `Z` or a `+hh:mm` / `-hhmm` offset.
enum ISO8601Text {
    /// Seconds from 0000-01-01T00:00:00Z to the Unix epoch.
    private static let earliest: Double = -62_167_219_200
    /// Seconds from the Unix epoch to 10000-01-01T00:00:00Z.
    private static let pastLatest: Double = 253_402_300_800

    /// Writes a time given in seconds since 1970, or returns `nil` outside the years 0000 through 9999.
    static func format(secondsSince1970 seconds: Double) -> String? {
        guard seconds.isFinite else { return nil }
        var whole = seconds.rounded(.down)
        var milliseconds = ((seconds - whole) * 1000).rounded()
        if milliseconds >= 1000 {
            whole += 1
            milliseconds -= 1000
        }
        guard whole >= earliest, whole < pastLatest else { return nil }
        let total = Int64(whole)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (year, month, day) = civilDate(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if milliseconds > 0 { text += "." + pad(Int64(milliseconds), 3) }
        return text + "Z"
    }

    /// Reads a timestamp as seconds since 1970, or returns `nil` if the text is not one.
    static func parse(_ text: String) -> Double? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let year = reader.number(digits: 4), reader.skip("-"),
            let month = reader.number(digits: 2), reader.skip("-"),
            let day = reader.number(digits: 2), reader.skip("T") || reader.skip("t") || reader.skip(" "),
            let hour = reader.number(digits: 2), reader.skip(":"),
            let minute = reader.number(digits: 2), reader.skip(":"),
            let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") || reader.skip(",") {
            // Up to nine digits (nanoseconds) count; further digits are read and ignored.
            var numerator: Int64 = 0
            var denominator: Int64 = 1
            var digitCount = 0
            while let digit = reader.digit() {
                if digitCount < 9 {
                    numerator = numerator * 10 + digit
                    denominator *= 10
                }
                digitCount += 1
            }
            guard digitCount > 0 else { return nil }
            fraction = Double(numerator) / Double(denominator)
        }
        var offset: Int64 = 0
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign: Int64 = reader.skip("+") ? 1 : (reader.skip("-") ? -1 : nil) {
            guard let hours = reader.number(digits: 2) else { return nil }
            _ = reader.skip(":")
            guard let minutes = reader.number(digits: 2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.isAtEnd else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let total = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Double(total) + fraction
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
    private static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The day number, counted from 1970-01-01, of a proleptic Gregorian date.
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    private static func pad(_ number: Int64, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Reads ASCII fields from the UTF-8 bytes of a timestamp.
    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
            else { return nil }
            position += 1
            return Int64(bytes[position - 1] - UInt8(ascii: "0"))
        }

        mutating func number(digits count: Int) -> Int64? {
            var result: Int64 = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                result = result * 10 + digit
            }
            return result
        }
    }
}
