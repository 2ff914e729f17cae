// Codable conformances, so values, records, plans and definitions can sit inside Codable types and be
// written by any Swift encoder. (DictDB's own codecs do not go through Codable: they stream.)
//
// Through a format that does not tell integers from doubles (Foundation's JSON), an integral double may
// come back as an integer; DictDB's codecs keep the distinction.

extension Value: Codable {
    /// Decodes null, a Boolean, an integer, a double, a string, an array or an object, in that order.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            guard d.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "non-finite double")
            }
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([Value].self) {
            self = .array(a)
        } else if let o = try? container.decode(Record.self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a DictDB value")
        }
    }

    /// Encodes the value as the matching primitive, array or keyed container.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension Record: Codable {
    private struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes an object; fields come in the order the decoder lists its keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        self.init()
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(Value.self, forKey: key)
        }
    }

    /// Encodes the fields in order as a keyed container.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for (name, value) in self {
            try container.encode(value, forKey: FieldKey(stringValue: name))
        }
    }
}
