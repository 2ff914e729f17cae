/// What the line editor does after a byte of input.
enum EditAction: Equatable {
    /// Keep reading (and redraw the line).
    case `continue`
    /// The line is entered (Enter): return it.
    case submit(String)
    /// The line is dropped (Ctrl-C).
    case cancel
    /// The input ends (Ctrl-D on an empty line).
    case endOfInput
    /// Clear the screen, then redraw the line (Ctrl-L).
    case clearScreen
}

/// The state of the line being edited: its characters, the cursor, and the walk through the history. No
/// terminal involved, so every key can be tested by feeding bytes.
///
/// The history being walked is a copy taken by ``begin(history:)`` plus the line being edited as its newest
/// entry, as readline does: Up saves the edited text and shows an older entry, Down walks back and finally
/// restores the edited text. Changes to a recalled entry last until the line is submitted and never change
/// the caller's history.
///
/// ```swift
/// var line = LineBuffer(history: ["SELECT 1;"])
/// line.feed(Array("x".utf8))       // [] (inserted)
/// line.feed([0x1B, 0x5B, 0x41])    // [] (Up: shows "SELECT 1;")
/// line.feed([0x0D])                // [.submit("SELECT 1;")]
/// ```
///
/// The key decoder's state carries over ``begin(history:)``, so bytes read ahead (a paste of several lines)
/// decode the same whichever line they end up in.
struct LineBuffer {
    /// The line's characters.
    private(set) var characters: [Character] = []
    /// Where the cursor is: the index of the character it sits on (`characters.count` at the end).
    private(set) var cursor = 0
    /// The history entries, oldest first, then the line being edited.
    private var entries: [String] = [""]
    /// Which of ``entries`` is shown.
    private(set) var historyPosition = 0
    private var decoder = KeyDecoder()

    /// Starts with an empty line and `history` (oldest first) to recall.
    init(history: [String] = []) {
        begin(history: history)
    }

    /// The line's text.
    var text: String { String(characters) }

    /// Starts a new, empty line with `history` (oldest first) to recall. Entries are shown on one line:
    /// line breaks and other control characters become spaces.
    mutating func begin(history: [String]) {
        characters = []
        cursor = 0
        entries = history.map(Self.editable) + [""]
        historyPosition = history.count
    }

    /// Consumes one byte of input.
    mutating func feed(_ byte: UInt8) -> EditAction {
        guard let key = decoder.feed(byte) else { return .continue }
        return apply(key)
    }

    /// Consumes bytes and returns the actions other than ``EditAction/continue``, in order.
    mutating func feed(_ bytes: [UInt8]) -> [EditAction] {
        bytes.map { feed($0) }.filter { $0 != .continue }
    }

    /// Applies one key. Enter and Ctrl-C leave the cursor at the end of the line, where the editor writes
    /// the line break.
    mutating func apply(_ key: EditKey) -> EditAction {
        switch key {
        case .insert(let scalar): insert(scalar)
        case .enter:
            cursor = characters.count
            return .submit(text)
        case .interrupt:
            cursor = characters.count
            return .cancel
        case .endOfFile:
            if characters.isEmpty { return .endOfInput }
            if cursor < characters.count { characters.remove(at: cursor) }
        case .clearScreen: return .clearScreen
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = characters.count
        case .wordLeft: cursor = wordStart(before: cursor, isWord: Self.isWordCharacter)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .killToEnd: characters.removeSubrange(cursor...)
        case .killToStart:
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .deleteWordBackward:
            let start = wordStart(before: cursor) { !$0.isWhitespace }
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .up: recall(historyPosition - 1)
        case .down: recall(historyPosition + 1)
        }
        return .continue
    }

    /// Inserts a scalar at the cursor; a scalar that extends the character before it (a combining accent,
    /// an emoji joiner or modifier) joins that character.
    private mutating func insert(_ scalar: Unicode.Scalar) {
        if cursor > 0 {
            var joined = String(characters[cursor - 1])
            joined.unicodeScalars.append(scalar)
            if joined.count == 1, let character = joined.first {
                characters[cursor - 1] = character
                return
            }
        }
        characters.insert(Character(scalar), at: cursor)
        cursor += 1
    }

    /// Shows entry `position` of the history, keeping the text shown now in its place.
    private mutating func recall(_ position: Int) {
        guard entries.indices.contains(position) else { return }
        entries[historyPosition] = text
        historyPosition = position
        characters = Array(entries[position])
        cursor = characters.count
    }

    /// The start of the word before `index`: back over characters that are not `isWord`, then over those
    /// that are.
    private func wordStart(before index: Int, isWord: (Character) -> Bool) -> Int {
        var start = index
        while start > 0 && !isWord(characters[start - 1]) { start -= 1 }
        while start > 0 && isWord(characters[start - 1]) { start -= 1 }
        return start
    }

    /// Just past the end of the word after `index`.
    private func wordEnd(after index: Int) -> Int {
        var end = index
        while end < characters.count && !Self.isWordCharacter(characters[end]) { end += 1 }
        while end < characters.count && Self.isWordCharacter(characters[end]) { end += 1 }
        return end
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// A history entry as one editable line: control characters (line breaks, tabs) become spaces.
    static func editable(_ entry: String) -> String {
        String(entry.map { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : $0 })
    }
}

extension LineBuffer {
    /// The part of the line a terminal shows, and where the cursor goes in it.
    struct View: Equatable {
        /// The characters to draw.
        var text: String
        /// How many columns the cursor moves left after drawing ``text``.
        var cursorBack: Int
    }

    /// What to draw in `columns` terminal columns: the whole line when it fits, else a window around the
    /// cursor, so a long line scrolls sideways instead of wrapping (a wrapped line cannot be redrawn with
    /// `\r`). Wide characters (CJK, emoji) take two columns. Pass one column fewer than there is room for,
    /// so the cursor has a place at the end of the line.
    func view(columns: Int) -> View {
        let widths = characters.map { TableRenderer.width(of: String($0)) }
        var start = 0
        var end = characters.count
        if widths.reduce(0, +) > columns {
            // Up to half the room left of the cursor, then fill the rest on the right, then on the left.
            start = cursor
            end = cursor
            var used = 0
            while start > 0 && used + widths[start - 1] <= columns / 2 {
                start -= 1
                used += widths[start]
            }
            while end < characters.count && used + widths[end] <= columns {
                used += widths[end]
                end += 1
            }
            while start > 0 && used + widths[start - 1] <= columns {
                start -= 1
                used += widths[start]
            }
        }
        let back = cursor < end ? widths[cursor..<end].reduce(0, +) : 0
        return View(text: String(characters[start..<end]), cursorBack: back)
    }
}
