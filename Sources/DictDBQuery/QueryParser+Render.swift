import DictDBAPI

extension QueryParser {
    /// Formats a parse error for a person: the position, the message, the offending line and a caret under
    /// the offending token.
    ///
    /// ```swift
    /// let text = "SELECT * FORM users"
    /// do {
    ///     _ = try QueryParser.parse(text)
    /// } catch {
    ///     print(QueryParser.render(error, in: text))
    /// }
    /// // line 1, column 10: expected FROM after the select list, found 'FORM'
    /// // SELECT * FORM users
    /// //          ^
    /// ```
    ///
    /// In a multi-line text the line holding the offset is shown; tabs before the caret are kept so the
    /// caret lines up; a very long line is cut around the caret with `...`. An error without an offset
    /// renders as its message alone.
    ///
    /// - Parameters:
    ///   - error: an error from ``parse(_:)``, ``parseScript(_:)`` or ``parseCondition(_:)``.
    ///   - text: the text that was parsed.
    public static func render(_ error: DictDBError, in text: String) -> String {
        guard let offset = error.context.offset, offset >= 0 else { return error.message }
        var line = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        var remaining = offset
        while remaining > 0 && index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            remaining -= 1
            if character.isNewline {
                line += 1
                lineStart = index
            }
        }
        let lineEnd = text[lineStart...].firstIndex(where: \.isNewline) ?? text.endIndex
        let characters = Array(text[lineStart..<lineEnd])
        let column = text.distance(from: lineStart, to: index)

        let window = 100
        var start = 0
        var end = characters.count
        if characters.count > window {
            start = max(0, min(column - window / 2, characters.count - window))
            end = min(characters.count, start + window)
        }
        let prefix = start > 0 ? "..." : ""
        let suffix = end < characters.count ? "..." : ""
        let shown = prefix + String(characters[start..<end]) + suffix
        let padding =
            String(repeating: " ", count: prefix.count)
            + String(characters[start..<min(max(start, column), end)].map { $0 == "\t" ? "\t" : " " })
        return "line \(line), column \(column + 1): \(error.message)\n\(shown)\n\(padding)^"
    }
}
