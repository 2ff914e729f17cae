import DictDB

/// Prints rows to stdout in one ``OutputFormat``.
struct RowPrinter {
    let console: Console
    let format: OutputFormat

    /// Prints `records` under `columns` (the order of the table's columns and of CSV's header).
    /// Machine formats stream the rows; the table measures them all first.
    func print(columns: [String], records: some Collection<Record>) throws(DictDBError) {
        guard let fileFormat = format.recordFileFormat else {
            let renderer = TableRenderer(
                color: console.usesColor(on: console.output), maximumWidth: console.output.isTerminal ? 60 : nil)
            console.output.write(renderer.render(columns: columns, records: Array(records)))
            return
        }
        let sink = ConsoleSink(console.output)
        var options = RecordWriterOptions()
        if fileFormat == .csv { options.csvColumns = columns.isEmpty ? nil : columns }
        let writer = try makeRecordWriter(format: fileFormat, to: sink, options: options)
        for record in records {
            // Machine formats carry the columns in output order, missing ones as null, like the table.
            try writer.write(columns.isEmpty ? record : Record(fields: columns.map { ($0, record[$0]) }))
        }
        try writer.finish()
    }

    /// Prints a statement's outcome: its rows, or its one-line summary.
    func print(_ result: StatementResult) throws(DictDBError) {
        switch result {
        case .rows(let columns, let records):
            try print(columns: columns, records: records)
        case .plan(let plan):
            if format == .table {
                console.print(plan.description)
            } else {
                try print(columns: [], records: [PlanRecord.record(of: plan)])
            }
        default:
            if let summary = result.summary {
                if format == .table {
                    console.print(summary)
                } else {
                    try print(columns: [], records: [Self.record(of: result, summary: summary)])
                }
            }
        }
    }

    private static func record(of result: StatementResult, summary: String) -> Record {
        switch result {
        case .inserted(let table, let keys):
            return ["table": .string(table), "inserted": .int(Int64(keys.count)), "keys": .array(keys)]
        case .updated(let table, let count):
            return ["table": .string(table), "updated": .int(Int64(count))]
        case .deleted(let table, let count):
            return ["table": .string(table), "deleted": .int(Int64(count))]
        default:
            return ["result": .string(summary)]
        }
    }
}

/// A plan as a record, for `--format json`.
enum PlanRecord {
    static func record(of plan: Plan) -> Record {
        var record: Record = [
            "table": .string(plan.table), "plan": .string(plan.description),
            "fullScan": .bool(plan.isFullScan), "estimatedRows": .int(Int64(plan.estimatedRows)),
            "providesOrder": .bool(plan.providesOrder),
        ]
        if let examined = plan.rowsExamined { record.setField("rowsExamined", to: .int(Int64(examined))) }
        if let returned = plan.rowsReturned { record.setField("rowsReturned", to: .int(Int64(returned))) }
        return record
    }
}
