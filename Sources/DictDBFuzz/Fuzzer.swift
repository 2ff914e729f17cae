import DictDB

/// One run: builds the corpus, runs the truncation pass and the random cases, prints the summary.
struct Fuzzer {
    /// The command line.
    let options: FuzzOptions

    /// Runs and returns the exit status: 0 when nothing offended, 1 otherwise.
    /// - Throws: when the harness itself cannot work (temporary directory, corpus, journal).
    func run() throws(DictDBError) -> Int32 {
        let wallStart = Watchdog.now()
        let seed = options.seed ?? UInt64.random(in: 0...UInt64.max)
        let directory = try FileIO.makeTemporaryDirectory(prefix: "dictdb-fuzz")
        let corpusDirectory = options.corpusDirectory ?? directory
        try FileIO.ensureDirectory(corpusDirectory)
        print(
            "dictdb-fuzz: seed \(seed) (replay a case with --seed \(seed) --corpus \(corpusDirectory) "
                + "--replay ITERATION)")
        let registry = Registry.standard
        let corpusStart = Watchdog.now()
        let corpus = try Corpus(directory: corpusDirectory, registry: registry)
        let sizes = corpus.files.map { "\($0.name) \($0.bytes.count)" }.joined(separator: ", ")
        print("corpus in \(corpusDirectory): \(sizes)")
        print(
            "bombs: \(corpus.bombs.map { "\($0.name) (\($0.bytes.count) bytes)" }.joined(separator: "; ")); "
                + "corpus built in \(FuzzReport.format(Double(Watchdog.now() - corpusStart) / 1e9)) s")

        let journalPath = options.journalPath ?? FilePath.join(directory, "journal.txt")
        let journal = try CaseJournal(path: journalPath)
        let watchdog = Watchdog(timeoutSeconds: options.timeoutSeconds, journalPath: journalPath)
        watchdog.start()
        MemoryProbe.capAddressSpace(mebibytes: options.maxRSSMiB * 2 + 4096)
        let replay = "seed=\(seed) corpus=\(corpusDirectory)"
        let runner = CaseRunner(
            corpus: corpus, registry: registry, journal: journal, watchdog: watchdog, replay: replay,
            casePath: FilePath.join(directory, "case.dictdb"), timeoutSeconds: options.timeoutSeconds,
            maxRSSMiB: options.maxRSSMiB)

        var report = FuzzReport()
        for problem in corpus.roundTripProblems { report.addProblem(problem) }
        let picker = MutationPicker(corpus: corpus)
        var failureNumber = 0
        func execute(_ fuzzCase: FuzzCase) throws(DictDBError) {
            let (result, bytes) = try runner.run(fuzzCase)
            if options.verbose { print("\(fuzzCase.description) -> \(Self.describe(result.outcome))") }
            guard let line = report.add(result) else { return }
            print("OFFENDING: \(line)")
            failureNumber += 1
            if let saveDirectory = options.saveFailuresDirectory {
                try save(bytes, line: "\(replay) \(line)", number: failureNumber, into: saveDirectory)
            }
        }
        if let replay = options.replayIteration {
            if let fuzzCase = picker.randomCase(iteration: replay, seed: seed) { try execute(fuzzCase) }
        } else {
            if options.truncationPass {
                for fuzzCase in picker.truncationPass(maximumSize: 2048) { try execute(fuzzCase) }
            }
            for iteration in 0..<options.iterations {
                if let fuzzCase = picker.randomCase(iteration: iteration, seed: seed) { try execute(fuzzCase) }
            }
        }

        var journalFailures: [String] = []
        if options.replayIteration == nil, options.journalCases > 0 {
            let journalStart = Watchdog.now()
            let journalCorpus = try JournalCorpus(directory: directory)
            let fuzzer = JournalFuzzer(corpus: journalCorpus, workDirectory: directory)
            let tally = try fuzzer.run(cases: options.journalCases, seed: seed, verbose: options.verbose)
            journalFailures = tally.failures
            let codes = tally.typedErrors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            print(
                "journal cases: \(options.journalCases) (identical \(tally.identical), an earlier prefix "
                    + "\(tally.prefix), typed errors \(tally.typedErrors.values.reduce(0, +)) [\(codes.joined(separator: ", "))], "
                    + "torn tails cut \(tally.tornTails), anything else \(tally.failures.count)) in "
                    + "\(FuzzReport.format(Double(Watchdog.now() - journalStart) / 1e9)) s")
            for line in tally.failures { print("OFFENDING: \(line)") }
        }

        print(report.summary(wallSeconds: Double(Watchdog.now() - wallStart) / 1e9))
        if !report.failures.isEmpty {
            print("offending cases (seed \(seed)):")
            for line in report.failures { print("  \(line)") }
        }
        if options.keepTemporary || !report.failures.isEmpty {
            print("kept \(directory) (the corpus, the last case and the default journal)")
        } else {
            FileIO.removeDirectory(directory)
        }
        return report.failures.isEmpty && journalFailures.isEmpty ? 0 : 1
    }

    /// Copies an offending case's bytes and description into `directory`.
    private func save(_ bytes: [UInt8], line: String, number: Int, into directory: String) throws(DictDBError) {
        try FileIO.ensureDirectory(directory)
        let stem = FilePath.join(directory, "failure-\(number)")
        try FileIO.write(bytes, to: stem + ".dictdb")
        try FileIO.write(Array((line + "\n").utf8), to: stem + ".txt")
    }

    private static func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .identical: return "identical"
        case .typedError(let error): return "typed error \(error.code): \(error.message)"
        case .anythingElse(let reason): return "ANYTHING ELSE: \(reason)"
        }
    }
}
