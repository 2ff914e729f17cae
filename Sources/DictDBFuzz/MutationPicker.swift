/// Chooses the random case of each iteration from the corpus.
///
/// Every choice comes from the iteration's own ``SeededGenerator``, so `--seed S --replay I` rebuilds
/// exactly the case iteration `I` ran.
struct MutationPicker {
    /// The files and bombs to choose from.
    let corpus: Corpus

    /// The case of iteration `iteration` in the run seeded with `seed`.
    func randomCase(iteration: Int, seed: UInt64) -> FuzzCase? {
        var random = SeededGenerator.forIteration(iteration, seed: seed)
        guard !corpus.files.isEmpty else { return nil }
        let file = corpus.files[random.index(below: corpus.files.count)]
        var kinds: [Mutation.Kind] = [
            .truncate, .flipBit, .flipBits, .setByte, .zeroSector, .appendGarbage, .appendZeros, .appendTail,
            .splice, .replaceRegion,
        ]
        if !corpus.bombs.isEmpty { kinds.append(.bomb) }
        if file.baseCodec == "json" { kinds.append(.deepNesting) }
        if !file.lengthHeaders.isEmpty { kinds.append(.lengthField) }
        let kind = kinds[random.index(below: kinds.count)]
        let compressed = file.compressor != nil
        let layer: FuzzCase.Layer
        switch kind {
        case .bomb: layer = .file
        case .deepNesting, .lengthField: layer = compressed ? .payload : .file
        default: layer = compressed && random.chance(1, in: 2) ? .payload : .file
        }
        let target = layer == .payload ? file.payload : file.bytes
        var limits = FuzzCase.Limits.small
        let mutation: Mutation
        if kind == .bomb {
            let bomb = corpus.bombs[random.index(below: corpus.bombs.count)]
            if random.chance(1, in: 2) { limits = .standard }
            mutation = Mutation(
                kind: .bomb, detail: "'\(bomb.name)' (\(bomb.bytes.count) bytes)", edit: .whole(bomb.bytes))
        } else {
            mutation = damage(kind, of: target, file: file, layer: layer, random: &random)
        }
        let label = "iteration \(iteration)"
        return FuzzCase(label: label, file: file, layer: layer, mutation: mutation, limits: limits)
    }

    /// The truncations of the dedicated pass: every file under `maximumSize` bytes cut at every offset.
    func truncationPass(maximumSize: Int) -> [FuzzCase] {
        var cases: [FuzzCase] = []
        for file in corpus.files where file.bytes.count < maximumSize {
            for count in 0..<file.bytes.count {
                let mutation = Mutation(kind: .truncatePass, detail: "keep=\(count)", edit: .truncate(count: count))
                cases.append(
                    FuzzCase(
                        label: "truncate-pass \(cases.count)", file: file, layer: .file, mutation: mutation,
                        limits: .small))
            }
        }
        return cases
    }

    /// A random mutation of `kind` (anything but a bomb) for `target`, the bytes of `file` at `layer`.
    private func damage(
        _ kind: Mutation.Kind, of target: [UInt8], file: CorpusFile, layer: FuzzCase.Layer,
        random: inout SeededGenerator
    ) -> Mutation {
        let count = target.count
        let offset = random.index(below: count)
        switch kind {
        case .truncate, .truncatePass:
            return Mutation(kind: kind, detail: "keep=\(offset) of \(count)", edit: .truncate(count: offset))
        case .flipBit:
            let bit = random.index(below: 8)
            return Mutation(kind: kind, detail: "offset=\(offset) bit=\(bit)", edit: .flipBits([(offset, bit)]))
        case .flipBits:
            let positions = (0..<Int.random(in: 2...8, using: &random)).map { _ in
                (offset: random.index(below: count), bit: random.index(below: 8))
            }
            let listed = positions.map { "\($0.offset):\($0.bit)" }.joined(separator: ",")
            return Mutation(kind: kind, detail: "bits=\(listed)", edit: .flipBits(positions))
        case .setByte:
            let value: UInt8 = random.chance(1, in: 2) ? 0x00 : 0xFF
            let was = target.indices.contains(offset) ? target[offset] : 0
            return Mutation(
                kind: kind,
                detail: "offset=\(offset) value=0x\(String(value, radix: 16)) was=0x\(String(was, radix: 16))",
                edit: .replace(range: offset..<offset + 1, with: [value]))
        case .zeroSector:
            let size = random.chance(1, in: 2) ? 512 : 4096
            let start = random.index(below: (count + size - 1) / size) * size
            let end = min(start + size, count)
            return Mutation(
                kind: kind, detail: "size=\(size) range=\(start)..<\(end)",
                edit: .replace(range: start..<end, with: [UInt8](repeating: 0, count: max(0, end - start))))
        case .appendGarbage:
            let length =
                random.chance(1, in: 4)
                ? Int.random(in: 65...4096, using: &random) : Int.random(in: 1...64, using: &random)
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            return Mutation(kind: kind, detail: "bytes=\(length)", edit: .append(garbage))
        case .appendZeros:
            let length = [1, 2, 7, 512, 4096][random.index(below: 5)]
            return Mutation(kind: kind, detail: "bytes=\(length)", edit: .append([UInt8](repeating: 0, count: length)))
        case .appendTail:
            let length = Int.random(in: 1...max(1, min(count, 256)), using: &random)
            return Mutation(kind: kind, detail: "bytes=\(length)", edit: .append(Array(target.suffix(length))))
        case .splice:
            return splice(into: target, at: offset, file: file, layer: layer, random: &random)
        case .replaceRegion:
            return replaceRegion(of: target, at: offset, file: file, layer: layer, random: &random)
        case .deepNesting:
            return deepNesting(in: target, at: offset, random: &random)
        case .lengthField, .bomb:
            return lengthField(of: file, random: &random)
        }
    }

    /// Overwrites up to 256 bytes at `offset` with the bytes of the same codec's file of the other sample
    /// database, taken from the same offset half of the time ("another generation").
    private func splice(
        into target: [UInt8], at offset: Int, file: CorpusFile, layer: FuzzCase.Layer, random: inout SeededGenerator
    ) -> Mutation {
        let others = corpus.files.filter { $0.codec == file.codec && $0.name != file.name }
        let donor = others.isEmpty ? file : others[random.index(below: others.count)]
        let source = layer == .payload ? donor.payload : donor.bytes
        let start =
            random.chance(1, in: 2) && offset < source.count ? offset : random.index(below: source.count)
        let length = min(Int.random(in: 1...256, using: &random), max(0, source.count - start))
        let bytes = Array(source[start..<start + length])
        return Mutation(
            kind: .splice, detail: "at=\(offset) from=\(donor.name) range=\(start)..<\(start + length)",
            edit: .replace(range: offset..<offset + length, with: bytes))
    }

    /// Replaces 1-512 bytes at `offset` with 1-512 bytes of a file in another codec (another base codec for
    /// the payload layer).
    private func replaceRegion(
        of target: [UInt8], at offset: Int, file: CorpusFile, layer: FuzzCase.Layer, random: inout SeededGenerator
    ) -> Mutation {
        let others = corpus.files.filter {
            layer == .payload ? $0.baseCodec != file.baseCodec : $0.codec != file.codec
        }
        let donor = others.isEmpty ? file : others[random.index(below: others.count)]
        let source = layer == .payload ? donor.payload : donor.bytes
        let start = random.index(below: source.count)
        let length = min(Int.random(in: 1...512, using: &random), max(0, source.count - start))
        let replaced = Int.random(in: 1...512, using: &random)
        return Mutation(
            kind: .replaceRegion,
            detail: "range=\(offset)..<\(offset + replaced) from=\(donor.name) source=\(start)..<\(start + length)",
            edit: .replace(range: offset..<offset + replaced, with: Array(source[start..<start + length])))
    }

    /// Inserts 100,000 `[` at a random offset, or where a value starts (after a `:`) half of the time.
    private func deepNesting(in target: [UInt8], at offset: Int, random: inout SeededGenerator) -> Mutation {
        var position = offset
        var place = "offset"
        if random.chance(1, in: 2), let colon = target[offset...].firstIndex(of: UInt8(ascii: ":")) {
            position = colon + 1
            place = "value"
        }
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        return Mutation(
            kind: .deepNesting, detail: "at=\(position) (\(place)) depth=100000",
            edit: .replace(range: position..<position, with: brackets))
    }

    /// Rewrites a MessagePack length header to declare 0, all ones at its width, 0xFFFFFFFF (widened), or
    /// one past its real length.
    private func lengthField(of file: CorpusFile, random: inout SeededGenerator) -> Mutation {
        let headers = file.lengthHeaders
        guard !headers.isEmpty else {
            return Mutation(kind: .lengthField, detail: "no headers", edit: .append([]))
        }
        let header = headers[random.index(below: headers.count)]
        let width = header.size - 1
        let allOnes: UInt64 =
            width == 0 ? (header.kind == .str ? 31 : 15) : (UInt64(1) << (8 * UInt64(width))) - 1
        let variants: [(String, UInt64, Int)] = [
            ("zero", 0, width), ("all-ones", allOnes, width), ("0xFFFFFFFF", 0xFFFF_FFFF, 4),
            ("one-past", UInt64(header.length) + 1, width),
        ]
        let (name, value, minimumWidth) = variants[random.index(below: variants.count)]
        let encoded = MessagePackHeader.encode(header.kind, length: value, minimumWidth: minimumWidth)
        return Mutation(
            kind: .lengthField,
            detail: "at=\(header.offset) \(header.kind.rawValue) length=\(header.length) set=\(name)",
            edit: .replace(range: header.offset..<header.offset + header.size, with: encoded))
    }
}
