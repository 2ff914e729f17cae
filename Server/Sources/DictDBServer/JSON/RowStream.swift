import DictDB
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// How rows are written: one JSON document, or one JSON object per line.
public enum RowFormat: String, Sendable, CaseIterable {
    /// `{"columns": [...], "rows": [{...}, ...], "count": N}`.
    case json
    /// One row per line (`application/x-ndjson`), nothing else.
    case ndjson

    /// The format an `Accept` header asks for: NDJSON for `application/x-ndjson` or `application/ndjson`,
    /// JSON otherwise.
    public init(accept: String?) {
        let wanted = accept?.lowercased() ?? ""
        self = wanted.contains("ndjson") ? .ndjson : .json
    }

    /// The response's `Content-Type`.
    var contentType: String {
        switch self {
        case .json: return "application/json; charset=utf-8"
        case .ndjson: return "application/x-ndjson; charset=utf-8"
        }
    }
}

/// Streams rows to the response body in chunks, so a large result never exists as one encoded text.
enum RowStream {
    /// Rows encoded per write to the body writer; a result this small goes out as one buffer.
    static let rowsPerChunk = 512

    /// A `200` response with `records` in `format`: one buffer for a small result, else streamed in chunks
    /// of ``rowsPerChunk`` rows (chunked transfer encoding).
    ///
    /// A client that stops reading stalls the writes; once one chunk has waited `sendTimeout`, `channel` is
    /// closed, which ends the response and releases the rows it holds.
    static func response(
        columns: [String], records: SelectedRows, format: RowFormat, channel: any Channel, sendTimeout: Duration
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if records.count <= rowsPerChunk {
            let text = head(columns, format) + rows(records, 0..<records.count, format) + tail(records.count, format)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        let body = ResponseBody { writer in
            let lastProgress = NIOLockedValueBox(ContinuousClock.now)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The watchdog: checks a few times per timeout that some chunk went out recently.
                    while true {
                        try await Task.sleep(for: sendTimeout / 4)
                        if ContinuousClock.now - lastProgress.withLockedValue({ $0 }) > sendTimeout {
                            channel.close(promise: nil)
                            return
                        }
                    }
                }
                try await writer.write(ByteBuffer(string: head(columns, format)))
                var start = 0
                while start < records.count {
                    let end = min(start + rowsPerChunk, records.count)
                    try await writer.write(ByteBuffer(string: rows(records, start..<end, format)))
                    lastProgress.withLockedValue { $0 = ContinuousClock.now }
                    start = end
                }
                try await writer.write(ByteBuffer(string: tail(records.count, format)))
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// What comes before the rows: `{"columns":[...],"rows":[` for JSON, nothing for NDJSON.
    private static func head(_ columns: [String], _ format: RowFormat) -> String {
        guard format == .json else { return "" }
        return "{\"columns\":" + Value.array(columns.map(Value.string)).description + ",\"rows\":["
    }

    /// The rows of `range` as JSON, comma-separated (JSON) or one per line (NDJSON).
    private static func rows(_ records: SelectedRows, _ range: Range<Int>, _ format: RowFormat) -> String {
        var text = ""
        text.reserveCapacity(range.count * 64)
        for index in range {
            if format == .json && index > 0 { text += "," }
            text += Value.object(records[index]).description
            if format == .ndjson { text += "\n" }
        }
        return text
    }

    /// What comes after the rows: `],"count":N}` for JSON, nothing for NDJSON.
    private static func tail(_ count: Int, _ format: RowFormat) -> String {
        format == .json ? "],\"count\":\(count)}\n" : ""
    }
}
