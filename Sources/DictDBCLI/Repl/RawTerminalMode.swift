#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A terminal switched to raw mode for line editing, and the way back to how it was.
///
/// ``enable(_:)`` saves the terminal's settings, then turns off line buffering (`ICANON`), echo (`ECHO`),
/// signal keys (`ISIG`: Ctrl-C and Ctrl-Z arrive as bytes), extended input (`IEXTEN`: Ctrl-V), flow control
/// (`IXON`: Ctrl-S and Ctrl-Q), CR-to-LF translation (`ICRNL`) and eighth-bit stripping (`ISTRIP`, which
/// would break UTF-8); a read returns as soon as one byte is there (`VMIN` 1, `VTIME` 0). Output
/// processing stays on, so `"\n"` still starts a new line. ``restore()`` puts the saved settings back: call
/// it on every way out, with a `defer` right after enabling.
///
/// Both changes wait for pending output and keep pending input (`TCSADRAIN`, not `TCSAFLUSH`), so keys
/// typed or pasted ahead are not lost.
///
/// ```swift
/// guard let raw = RawTerminalMode.enable(STDIN_FILENO) else { return plainRead() }
/// defer { raw.restore() }
/// ```
struct RawTerminalMode {
    private let descriptor: Int32
    private let original: termios

    /// Switches the terminal at `descriptor` to raw mode; `nil` when it is not a terminal or its settings
    /// cannot be read or changed (then nothing changed).
    static func enable(_ descriptor: Int32) -> RawTerminalMode? {
        guard isatty(descriptor) == 1 else { return nil }
        var original = termios()
        guard tcgetattr(descriptor, &original) == 0 else { return nil }
        var raw = original
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON | ISTRIP)
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        withUnsafeMutableBytes(of: &raw.c_cc) { controls in
            controls[Int(VMIN)] = 1
            controls[Int(VTIME)] = 0
        }
        guard setAttributes(raw, on: descriptor) else { return nil }
        return RawTerminalMode(descriptor: descriptor, original: original)
    }

    /// Puts back the settings the terminal had before ``enable(_:)``.
    func restore() {
        _ = Self.setAttributes(original, on: descriptor)
    }

    /// `tcsetattr(TCSADRAIN)`, retried when a signal interrupts it.
    private static func setAttributes(_ settings: termios, on descriptor: Int32) -> Bool {
        var settings = settings
        while tcsetattr(descriptor, TCSADRAIN, &settings) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }
}
