import JSONValue

/// `ghcbox run --check`'s judgement of one executed notebook: a verdict per code cell, comparing
/// the outputs stored in the document that ran with the new ones.
public enum NotebookCheck {
    /// `document` is the notebook as it ran (parameters injected); `runs` are the runner's, in order.
    public static func verdicts(document: JSON, runs: [NotebookRunner.CellRun], options: CompareOptions) -> [CellVerdict] {
        let cells = (document["cells"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["cell_type"]?.stringValue == "code" }
        var verdicts: [CellVerdict] = []
        var number = 0
        for (cell, run) in zip(cells, runs) {
            var tags = NotebookCell.tags(cell)
            let injected = tags.contains(NotebookParameters.injectedTag)
            // Cells keep their numbers in the notebook on disk; the injected cell has none, and
            // nothing stored to compare with, and is reported only when it fails.
            if injected { tags.append(CellVerdict.ignoreOutputTag) } else { number += 1 }
            let verdict = CellVerdict.judge(number: injected ? 0 : number, source: NotebookCell.source(cell), tags: tags,
                                            stored: cell["outputs"]?.arrayValue ?? [],
                                            storedRan: cell["execution_count"].map { $0 != .null } ?? false, run: run, options: options)
            if !injected || verdict.failed { verdicts.append(verdict) }
        }
        return verdicts
    }

    /// `document` with each code cell's stored outputs and count replaced by its run's (for
    /// `--update`); skipped cells keep theirs, and an injected parameters cell is left out.
    public static func updated(_ document: JSON, from executed: JSON) -> JSON {
        guard case .object(var root) = document, let cells = root["cells"]?.arrayValue,
              let ran = executed["cells"]?.arrayValue else { return document }
        let ranByID = ran.filter { !NotebookCell.tags($0.objectValue ?? [:]).contains(NotebookParameters.injectedTag) }
        guard ranByID.count == cells.count else { return document }
        root["cells"] = .array(zip(cells, ranByID).map { stored, new in
            guard case .object(var cell) = stored, cell["cell_type"]?.stringValue == "code" else { return stored }
            cell["outputs"] = new["outputs"] ?? .array([])
            cell["execution_count"] = new["execution_count"] ?? .null
            return .object(cell)
        })
        return .object(root)
    }
}
