import DictDBAPI

/// Accumulates the aggregates of one group, one record at a time.
struct AggregateAccumulator {
    private let expressions: [AggregateExpression]
    private var count = 0
    private var nonNullCounts: [Int]
    private var intSums: [Int64]
    private var doubleSums: [Double]
    private var sumIsDouble: [Bool]
    private var numericCounts: [Int]
    private var minimums: [Value]
    private var maximums: [Value]

    init(_ expressions: [AggregateExpression]) {
        self.expressions = expressions
        let n = expressions.count
        nonNullCounts = Array(repeating: 0, count: n)
        intSums = Array(repeating: 0, count: n)
        doubleSums = Array(repeating: 0, count: n)
        sumIsDouble = Array(repeating: false, count: n)
        numericCounts = Array(repeating: 0, count: n)
        minimums = Array(repeating: .null, count: n)
        maximums = Array(repeating: .null, count: n)
    }

    mutating func add(_ record: Record) {
        count += 1
        for (i, expression) in expressions.enumerated() {
            guard let field = expression.function.field else { continue }
            let value = record[field]
            if value.isNull { continue }
            nonNullCounts[i] += 1
            switch expression.function {
            case .sum(_), .average(_):
                addNumber(value, at: i)
            case .min(_):
                if minimums[i].isNull || Value.compare(value, minimums[i]) < 0 { minimums[i] = value }
            case .max(_):
                if maximums[i].isNull || Value.compare(value, maximums[i]) > 0 { maximums[i] = value }
            case .count, .countField(_):
                break
            }
        }
    }

    private mutating func addNumber(_ value: Value, at i: Int) {
        switch value {
        case .int(let n):
            numericCounts[i] += 1
            doubleSums[i] += Double(n)
            if !sumIsDouble[i] {
                let (sum, overflow) = intSums[i].addingReportingOverflow(n)
                if overflow { sumIsDouble[i] = true } else { intSums[i] = sum }
            }
        case .double(let d):
            numericCounts[i] += 1
            doubleSums[i] += d
            sumIsDouble[i] = true
        default:
            break
        }
    }

    /// The aggregate values, in expression order.
    func results() -> [Value] {
        expressions.enumerated().map { (i, expression) in
            switch expression.function {
            case .count: return .int(Int64(count))
            case .countField(_): return .int(Int64(nonNullCounts[i]))
            case .sum(_):
                if numericCounts[i] == 0 { return .int(0) }
                return sumIsDouble[i] ? finite(doubleSums[i]) : .int(intSums[i])
            case .average(_):
                if numericCounts[i] == 0 { return .null }
                if !sumIsDouble[i] { return finite(Double(intSums[i]) / Double(numericCounts[i])) }
                return finite(doubleSums[i] / Double(numericCounts[i]))
            case .min(_): return minimums[i]
            case .max(_): return maximums[i]
            }
        }
    }

    /// A double result, or null if the arithmetic overflowed to infinity (which no codec can store).
    private func finite(_ d: Double) -> Value { d.isFinite ? .double(d) : .null }
}
