import DictDB
import Foundation

/// Decodes the snapshot at `path`, lets `edit` change its events, and writes them back with `codecName`
/// (checksum and all): how tests make files that are well formed but break a rule only loading checks.
func rewriteSnapshot(at path: String, codec codecName: String, _ edit: (inout [SnapshotEvent]) throws -> Void) throws {
    let codec = try Registry.standard.codec(named: codecName)
    let reader = try codec.makeReader(
        from: BufferSource(Array(try Data(contentsOf: URL(fileURLWithPath: path)))), limits: .default)
    var events: [SnapshotEvent] = []
    while let event = try reader.next() { events.append(event) }
    try edit(&events)
    let sink = BufferSink()
    let writer = try codec.makeWriter(to: sink)
    for event in events { try writer.write(event) }
    try Data(sink.take()).write(to: URL(fileURLWithPath: path))
}

/// The positions of the record events among `events`.
func recordPositions(_ events: [SnapshotEvent]) -> [Int] {
    events.indices.filter { if case .record = events[$0] { true } else { false } }
}
