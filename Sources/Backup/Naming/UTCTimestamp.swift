/// Compact ISO 8601 UTC timestamps with milliseconds, `20261127T043541.123Z`, that sort as strings.
///
/// Converts without Foundation or the local time zone, using the proleptic Gregorian calendar.
public enum UTCTimestamp {
    /// Formats milliseconds since 1970-01-01T00:00:00Z (years 0000-9999).
    public static func format(_ millis: Int64) -> String {
        let (days, msOfDay) = floorDivide(millis, 86_400_000)
        let (year, month, day) = civilDate(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
            + "." + pad(ms, 3) + "Z"
    }

    /// Parses a timestamp written by ``format(_:)``; `nil` for anything else, impossible dates included.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "."),
            bytes[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var n: Int64 = 0
            for i in range {
                guard bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            let ms = number(16..<19), (1...12).contains(month), day >= 1,
            day <= daysInMonth(year: year, month: month), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms
    }

    /// Formats milliseconds since 1970 in the extended form people read and type, `2026-11-27T04:35:41.123Z`.
    public static func formatExtended(_ millis: Int64) -> String {
        var text = Array(format(millis))
        text.insert(contentsOf: ":", at: 13)
        text.insert(contentsOf: ":", at: 11)
        text.insert(contentsOf: "-", at: 6)
        text.insert(contentsOf: "-", at: 4)
        return String(text)
    }

    /// Parses a UTC time as people write it: `2026-11-27T04:35:41Z`, with optional milliseconds
    /// (`2026-11-27T04:35:41.123Z`), or the compact form of ``format(_:)``; `nil` for anything else.
    ///
    /// ```swift
    /// UTCTimestamp.parse(iso8601: "1970-01-01T00:00:01.5Z")  // nil: milliseconds take three digits
    /// UTCTimestamp.parse(iso8601: "1970-01-01T00:00:01.500Z")  // 1500
    /// ```
    public static func parse(iso8601 text: String) -> Int64? {
        if let millis = parse(text) { return millis }
        let c = Array(text)
        guard c.count == 20 || c.count == 24, c[4] == "-", c[7] == "-", c[10] == "T", c[13] == ":", c[16] == ":",
            c[c.count - 1] == "Z", c.count == 20 || c[19] == "."
        else { return nil }
        let fraction = c.count == 24 ? String(c[20..<23]) : "000"
        let date = String(c[0..<4]) + String(c[5..<7]) + String(c[8..<10])
        let time = String(c[11..<13]) + String(c[14..<16]) + String(c[17..<19])
        let compact = date + "T" + time + "." + fraction + "Z"
        return parse(compact)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
