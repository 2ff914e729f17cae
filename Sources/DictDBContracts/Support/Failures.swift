import DictDBAPI

// Small helpers the checks share: running a throwing body and naming what came out of it.

/// What a call produced: a value, a `DictDBError`, or another error (which no plugin call may throw).
enum Outcome<T> {
    /// The call returned.
    case value(T)
    /// The call threw a `DictDBError`.
    case dictDBError(DictDBError)
    /// The call threw something else.
    case otherError(any Error)

    /// Runs `body` and records what it did.
    init<E: Error>(_ body: () throws(E) -> T) {
        do throws(E) {
            self = .value(try body())
        } catch {
            if let error = error as? DictDBError {
                self = .dictDBError(error)
            } else {
                self = .otherError(error)
            }
        }
    }

    /// The error's code, or `nil` when the call returned or threw something else.
    var code: DictDBError.Code? {
        if case .dictDBError(let error) = self { return error.code }
        return nil
    }

    /// `returned`, `threw <error>` — for violation details.
    var summary: String {
        switch self {
        case .value: return "returned normally"
        case .dictDBError(let error): return "threw \(error)"
        case .otherError(let error): return "threw a non-DictDBError \(error)"
        }
    }
}

/// `count` bytes from `bytes`, hex, for violation details.
func hexPrefix(_ bytes: [UInt8], _ count: Int = 16) -> String {
    let hex = bytes.prefix(count).map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
    return "[" + hex.joined(separator: " ") + (bytes.count > count ? " ..." : "") + "] (\(bytes.count) bytes)"
}
