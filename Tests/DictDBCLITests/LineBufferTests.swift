import Testing

@testable import DictDBCLI

/// The keys of the REPL's line editor, fed as the bytes a terminal in raw mode sends.
@Suite struct LineBufferTests {
    /// Byte sequences of the keys the tests press.
    enum Key {
        static let enter: [UInt8] = [0x0D]
        static let lineFeed: [UInt8] = [0x0A]
        static let backspace: [UInt8] = [0x7F]
        static let ctrlH: [UInt8] = [0x08]
        static let delete: [UInt8] = [0x1B, 0x5B, 0x33, 0x7E]
        static let left: [UInt8] = [0x1B, 0x5B, 0x44]
        static let right: [UInt8] = [0x1B, 0x5B, 0x43]
        static let up: [UInt8] = [0x1B, 0x5B, 0x41]
        static let down: [UInt8] = [0x1B, 0x5B, 0x42]
        static let ctrlA: [UInt8] = [0x01]
        static let ctrlB: [UInt8] = [0x02]
        static let ctrlC: [UInt8] = [0x03]
        static let ctrlD: [UInt8] = [0x04]
        static let ctrlE: [UInt8] = [0x05]
        static let ctrlF: [UInt8] = [0x06]
        static let ctrlK: [UInt8] = [0x0B]
        static let ctrlL: [UInt8] = [0x0C]
        static let ctrlU: [UInt8] = [0x15]
        static let ctrlW: [UInt8] = [0x17]

        /// The UTF-8 bytes of `text`.
        static func type(_ text: String) -> [UInt8] { Array(text.utf8) }
    }

    /// A line fed `keys` (each a byte sequence), and the actions other than `.continue` it returned.
    static func edited(_ keys: [UInt8]..., history: [String] = []) -> (line: LineBuffer, actions: [EditAction]) {
        var line = LineBuffer(history: history)
        let actions = line.feed(keys.flatMap { $0 })
        return (line, actions)
    }

    // MARK: Typing

    @Test func insertsTypedTextAndSubmitsOnEnter() {
        let (line, actions) = Self.edited(Key.type("SELECT 1;"), Key.enter)
        #expect(actions == [.submit("SELECT 1;")])
        #expect(line.cursor == 9)
    }

    @Test func submitsOnLineFeedToo() {
        #expect(Self.edited(Key.type("a"), Key.lineFeed).actions == [.submit("a")])
    }

    @Test func dropsTheLineFeedOfACarriageReturnLineFeedPair() {
        var line = LineBuffer()
        #expect(line.feed(Key.type("a") + Key.enter + Key.lineFeed) == [.submit("a")])
        line.begin(history: [])
        #expect(line.feed(Key.type("b") + Key.lineFeed) == [.submit("b")])
    }

    @Test func splitsPastedLinesIntoSeveralSubmissions() {
        var line = LineBuffer()
        let bytes = Key.type("SELECT *\rFROM t;\r")
        var submitted: [String] = []
        for byte in bytes {
            if case .submit(let text) = line.feed(byte) {
                submitted.append(text)
                line.begin(history: [])
            }
        }
        #expect(submitted == ["SELECT *", "FROM t;"])
    }

    @Test func decodesMultiByteUTF8IntoCharacters() {
        let (line, actions) = Self.edited(Key.type("é漢🙂"), Key.backspace, Key.enter)
        #expect(actions == [.submit("é漢")])
        #expect(line.characters == ["é", "漢"])
    }

    @Test func decodesUTF8SplitAcrossFeeds() {
        var line = LineBuffer()
        let bytes = Key.type("漢")
        #expect(line.feed(bytes[0]) == .continue)
        #expect(line.feed(bytes[1]) == .continue)
        #expect(line.characters.isEmpty)
        #expect(line.feed(bytes[2]) == .continue)
        #expect(line.text == "漢")
    }

    @Test func joinsCombiningMarksAndEmojiSequencesToOneCharacter() {
        // "e" + COMBINING ACUTE ACCENT, and a family emoji built with zero-width joiners.
        let (line, _) = Self.edited(Key.type("e\u{301}👨\u{200D}👩\u{200D}👧"))
        #expect(line.characters.count == 2)
        #expect(line.cursor == 2)
        let (erased, _) = Self.edited(Key.type("e\u{301}x"), Key.left, Key.backspace)
        #expect(erased.text == "x")
    }

    @Test func dropsMalformedUTF8AndKeepsTheNextByte() {
        // A lead byte cut short by "a", a stray continuation byte, an overlong encoding of "/".
        let (line, _) = Self.edited([0xE6, 0x61], [0x80], [0xC0, 0xAF], Key.type("b"))
        #expect(line.text == "ab")
    }

    @Test func insertsInTheMiddle() {
        let (line, _) = Self.edited(Key.type("ac"), Key.left, Key.type("b"))
        #expect(line.text == "abc")
        #expect(line.cursor == 2)
    }

    @Test func ignoresOtherControlBytesAndTurnsTabIntoASpace() {
        let (line, _) = Self.edited(Key.type("a"), [0x07, 0x00, 0x1A], [0x09], Key.type("b"))
        #expect(line.text == "a b")
    }

    // MARK: Deleting

    @Test func backspaceDeletesBeforeTheCursor() {
        #expect(Self.edited(Key.type("abc"), Key.backspace).line.text == "ab")
        #expect(Self.edited(Key.type("abc"), Key.ctrlH, Key.ctrlH).line.text == "a")
        let (middle, _) = Self.edited(Key.type("abc"), Key.left, Key.backspace)
        #expect(middle.text == "ac")
        #expect(middle.cursor == 1)
        #expect(Self.edited(Key.type("a"), Key.ctrlA, Key.backspace).line.text == "a")
    }

    @Test func deleteRemovesTheCharacterUnderTheCursor() {
        let (line, _) = Self.edited(Key.type("abc"), Key.ctrlA, Key.delete)
        #expect(line.text == "bc")
        #expect(line.cursor == 0)
        #expect(Self.edited(Key.type("abc"), Key.delete).line.text == "abc")
    }

    @Test func ctrlKKillsToTheEnd() {
        let (line, _) = Self.edited(Key.type("SELECT 1; junk"), Key.left, Key.left, Key.left, Key.left, Key.ctrlK)
        #expect(line.text == "SELECT 1; ")
        #expect(line.cursor == 10)
    }

    @Test func ctrlUKillsToTheStart() {
        let (line, _) = Self.edited(Key.type("junk SELECT"), Key.ctrlA, Key.ctrlF, Key.ctrlF, Key.ctrlF, Key.ctrlF)
        var killed = line
        #expect(killed.feed(Key.ctrlU) == [])
        #expect(killed.text == " SELECT")
        #expect(killed.cursor == 0)
    }

    @Test func ctrlWDeletesThePreviousWordAndTheSpacesAfterIt() {
        let (line, _) = Self.edited(Key.type("SELECT name,age  "), Key.ctrlW)
        #expect(line.text == "SELECT ")
        let (twice, _) = Self.edited(Key.type("SELECT name,age  "), Key.ctrlW, Key.ctrlW)
        #expect(twice.text == "")
        let (middle, _) = Self.edited(Key.type("one two three"), Key.left, Key.left, Key.ctrlW)
        #expect(middle.text == "one two ee")
        #expect(middle.cursor == 8)
    }

    // MARK: Moving

    @Test func arrowsMoveWithinTheLine() {
        let (line, _) = Self.edited(Key.type("abc"), Key.left, Key.left, Key.left, Key.left)
        #expect(line.cursor == 0)
        var moved = line
        _ = moved.feed(Key.right + Key.right + Key.right + Key.right)
        #expect(moved.cursor == 3)
        #expect(Self.edited(Key.type("abc"), Key.ctrlB, Key.ctrlB, Key.ctrlF).line.cursor == 2)
    }

    @Test func homeAndEndInEveryEncoding() {
        let homes: [[UInt8]] = [Key.ctrlA, [0x1B, 0x5B, 0x48], [0x1B, 0x4F, 0x48], [0x1B, 0x5B, 0x31, 0x7E]]
        for home in homes {
            #expect(Self.edited(Key.type("abc"), home).line.cursor == 0)
        }
        let ends: [[UInt8]] = [Key.ctrlE, [0x1B, 0x5B, 0x46], [0x1B, 0x4F, 0x46], [0x1B, 0x5B, 0x34, 0x7E]]
        for end in ends {
            #expect(Self.edited(Key.type("abc"), Key.ctrlA, end).line.cursor == 3)
        }
    }

    @Test func ctrlArrowsMoveByWords() {
        let ctrlLeft: [UInt8] = [0x1B, 0x5B, 0x31, 0x3B, 0x35, 0x44]
        let ctrlRight: [UInt8] = [0x1B, 0x5B, 0x31, 0x3B, 0x35, 0x43]
        let (line, _) = Self.edited(Key.type("SELECT name FROM t"), ctrlLeft, ctrlLeft)
        #expect(line.cursor == 12)
        var moved = line
        _ = moved.feed(ctrlRight)
        #expect(moved.cursor == 16)
    }

    @Test func ignoresUnknownEscapeSequencesWhole() {
        // F5, a mouse report, Shift-Tab, an SS3 F1, bracketed paste markers.
        let (line, actions) = Self.edited(
            Key.type("a"), [0x1B, 0x5B, 0x31, 0x35, 0x7E], Array("\u{1B}[<0;12;5M".utf8), [0x1B, 0x5B, 0x5A],
            [0x1B, 0x4F, 0x50], Array("\u{1B}[200~".utf8), Key.type("b"), Array("\u{1B}[201~".utf8))
        #expect(line.text == "ab")
        #expect(actions.isEmpty)
    }

    @Test func aControlByteInsideAnEscapeSequenceCountsAsAKey() {
        let (_, actions) = Self.edited(Key.type("x"), [0x1B, 0x5B, 0x31], Key.enter)
        #expect(actions == [.submit("x")])
    }

    // MARK: History

    @Test func upAndDownWalkTheHistoryAndRestoreTheEditedLine() {
        let history = ["SELECT 1;", "SELECT 2;"]
        var line = LineBuffer(history: history)
        _ = line.feed(Key.type("SEL"))
        _ = line.feed(Key.up)
        #expect(line.text == "SELECT 2;")
        #expect(line.cursor == 9)
        _ = line.feed(Key.up)
        #expect(line.text == "SELECT 1;")
        _ = line.feed(Key.up)
        #expect(line.text == "SELECT 1;")
        #expect(line.historyPosition == 0)
        _ = line.feed(Key.down + Key.down)
        #expect(line.text == "SEL")
        #expect(line.cursor == 3)
        _ = line.feed(Key.down)
        #expect(line.text == "SEL")
    }

    @Test func editsOfARecalledEntryLastUntilSubmitted() {
        var line = LineBuffer(history: ["a;", "b;"])
        _ = line.feed(Key.up + Key.backspace + Key.type("2;") + Key.up + Key.down)
        #expect(line.text == "b2;")
        #expect(line.feed(Key.enter) == [.submit("b2;")])
        line.begin(history: ["a;", "b;"])
        _ = line.feed(Key.up)
        #expect(line.text == "b;")
    }

    @Test func recallsAMultiLineEntryOnOneLine() {
        let (line, _) = Self.edited(Key.up, history: ["SELECT *\nFROM t;"])
        #expect(line.text == "SELECT * FROM t;")
    }

    @Test func upWithoutHistoryKeepsTheLine() {
        let (line, _) = Self.edited(Key.type("x"), Key.up, Key.down)
        #expect(line.text == "x")
    }

    // MARK: Ctrl-C, Ctrl-D, Ctrl-L

    @Test func ctrlCCancelsTheLine() {
        let (line, actions) = Self.edited(Key.type("SELECT"), Key.ctrlA, Key.ctrlC)
        #expect(actions == [.cancel])
        #expect(line.cursor == 6)
    }

    @Test func ctrlDOnAnEmptyLineEndsTheInput() {
        #expect(Self.edited(Key.ctrlD).actions == [.endOfInput])
        #expect(Self.edited(Key.type("a"), Key.backspace, Key.ctrlD).actions == [.endOfInput])
    }

    @Test func ctrlDOnALineDeletesUnderTheCursor() {
        let (line, actions) = Self.edited(Key.type("abc"), Key.ctrlA, Key.ctrlD)
        #expect(actions.isEmpty)
        #expect(line.text == "bc")
        let (atEnd, endActions) = Self.edited(Key.type("abc"), Key.ctrlD)
        #expect(endActions.isEmpty)
        #expect(atEnd.text == "abc")
    }

    @Test func ctrlLAsksToClearTheScreen() {
        let (line, actions) = Self.edited(Key.type("a"), Key.ctrlL)
        #expect(actions == [.clearScreen])
        #expect(line.text == "a")
    }

    // MARK: Drawing

    @Test func viewShowsAShortLineWholeWithTheCursorPlaced() {
        let (line, _) = Self.edited(Key.type("abcd"), Key.left)
        #expect(line.view(columns: 80) == LineBuffer.View(text: "abcd", cursorBack: 1))
    }

    @Test func viewCountsWideCharactersAsTwoColumns() {
        let (line, _) = Self.edited(Key.type("a漢🙂b"), Key.left, Key.left, Key.left)
        #expect(line.view(columns: 80) == LineBuffer.View(text: "a漢🙂b", cursorBack: 5))
    }

    @Test func viewScrollsALongLineAroundTheCursor() {
        let text = String(repeating: "0123456789", count: 10)
        let atEnd = Self.edited(Key.type(text)).line.view(columns: 20)
        #expect(atEnd == LineBuffer.View(text: "01234567890123456789", cursorBack: 0))
        let atStart = Self.edited(Key.type(text), Key.ctrlA).line.view(columns: 20)
        #expect(atStart == LineBuffer.View(text: "01234567890123456789", cursorBack: 20))
        let (middle, _) = Self.edited(Key.type(text), Key.ctrlA, [UInt8](repeating: 0x06, count: 50))
        let view = middle.view(columns: 20)
        #expect(view.text.count == 20)
        #expect(view.text.hasPrefix("0123456789"))
        #expect(view.cursorBack == 10)
    }
}
