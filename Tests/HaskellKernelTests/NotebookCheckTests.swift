import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import JSONValue
import Testing
@testable import HaskellKernel

@Suite struct NotebookCheckTests {
    private func stream(_ name: String, _ text: String) -> JSON { ["output_type": "stream", "name": .string(name), "text": .string(text)] }
    private func result(_ text: String) -> JSON { ["output_type": "execute_result", "data": ["text/plain": .string(text)], "metadata": [:]] }
    private func error(_ name: String, _ value: String) -> JSON {
        ["output_type": "error", "ename": .string(name), "evalue": .string(value), "traceback": []]
    }
    private func run(_ status: NotebookRunner.CellRun.Status, _ outputs: [JSON]) -> NotebookRunner.CellRun {
        NotebookRunner.CellRun(status: status, outputs: outputs, seconds: 0.1)
    }

    @Test func streamsInARowAreMergedAndLabelledLineByLine() {
        let lines = ComparedOutputs.lines([stream("stdout", "a"), stream("stdout", "b\nc\n"), stream("stderr", "oops\n"),
                                           result("42"), error("ErrorCall", "boom")], options: CompareOptions())
        #expect(lines == ["stdout: ab", "stdout: c", "stderr: oops", "result: 42", "error: ErrorCall: boom"])
        // nbformat's list-of-strings text is the same text.
        #expect(ComparedOutputs.lines([["output_type": "stream", "name": "stdout", "text": ["a", "b\n"]]], options: CompareOptions())
                == ["stdout: ab"])
        #expect(ComparedOutputs.lines([error("ErrorCall", "boom")], options: CompareOptions(ignoreEvalue: true)) == ["error: ErrorCall"])
    }

    @Test func otherMimeTypesAreComparedOnlyWhenAsked() {
        let display: JSON = ["output_type": "display_data", "data": ["text/plain": "<img>", "image/png": "iVBOR"], "metadata": [:]]
        #expect(ComparedOutputs.lines([display], options: CompareOptions()) == ["display: <img>"])
        #expect(ComparedOutputs.lines([display], options: CompareOptions(compareMime: true)) == ["display: <img>", "display image/png: iVBOR"])
    }

    @Test func theBuiltInSanitizersHideAddressesAndTimings() {
        let text = Sanitizer.builtIn.apply("at 0x7f3a9c00 took (0.01 secs, 1,234,567 bytes)")
        #expect(text == "at 0xADDRESS took (SECS, BYTES)")
    }

    @Test func aSanitizeFileInNbvalsFormatIsReadInPairs() throws {
        let sanitizer = try Sanitizer.parse("""
            [dates]
            regex: \\d{4}-\\d{2}-\\d{2}
            replace: DATE

            # a comment
            [ids]
            regex: id=[0-9]+
            replace: id=N
            """, source: "s.cfg")
        #expect(sanitizer.apply("2026-12-07 id=42") == "DATE id=N")
        #expect(throws: SanitizerError.self) { try Sanitizer.parse("regex: a\nregex: b\nreplace: c", source: "s") }
        #expect(throws: SanitizerError.self) { try Sanitizer.parse("replace: c", source: "s") }
        #expect(throws: SanitizerError.self) { try Sanitizer.parse("regex: (\nreplace: c", source: "s") }
        #expect(throws: SanitizerError.self) { try Sanitizer.parse("pattern: x", source: "s") }
    }

    @Test func nbvalsPythonReplacementsReferToGroups() throws {
        #expect(Sanitizer.Rule.template(python: #"\1MEMORY_ADDRESS\3"#) == "$1MEMORY_ADDRESS$3")
        #expect(Sanitizer.Rule.template(python: #"\g<2>-$5-\\"#) == #"$2-\$5-\\"#)
        let sanitizer = try Sanitizer.parse("regex: (<\\w+ at )(0x[0-9a-f]+)(>)\nreplace: \\1ADDR\\3", source: "s")
        #expect(sanitizer.apply("<Foo at 0x1234>") == "<Foo at ADDR>")
    }

    @Test func aMissingFinalNewlineIsADifference() {
        let options = CompareOptions()
        #expect(ComparedOutputs.lines([stream("stdout", "x")], options: options) != ComparedOutputs.lines([stream("stdout", "x\n")], options: options))
        #expect(ComparedOutputs.lines([stream("stdout", "x\n")], options: options) == ["stdout: x"])
    }

    @Test func aCellSavedUnrunHasNothingToCompare() {
        let verdict = CellVerdict.judge(number: 1, source: "1", tags: [], stored: [], storedRan: false,
                                        run: run(.ok, [result("1")]), options: CompareOptions())
        #expect(verdict.outcome == .passed)
        let ran = CellVerdict.judge(number: 1, source: "1", tags: [], stored: [], storedRan: true,
                                    run: run(.ok, [result("1")]), options: CompareOptions())
        #expect(ran.failed)
    }

    @Test func theDiffShowsTheStoredLineThenTheNewOne() {
        let diff = TextDiff.lines(old: ["a", "b", "c"], new: ["a", "B", "c", "d"])
        #expect(diff == [.same("a"), .removed("b"), .added("B"), .same("c"), .added("d")])
        #expect(CheckText.diff(diff) == "      a\n    - b\n    + B\n      c\n    + d")
    }

    @Test func aCellPassesWhenOnlySanitizedTextChanged() {
        let verdict = CellVerdict.judge(number: 1, source: "print ptr", tags: [], stored: [stream("stdout", "0x1234\n")],
                                        run: run(.ok, [stream("stdout", "0xbeef\n")]), options: CompareOptions())
        #expect(verdict.outcome == .passed)
    }

    @Test func oneCharacterOffFailsNamingTheCell() {
        let verdict = CellVerdict.judge(number: 3, source: "greet\nmore", tags: [], stored: [stream("stdout", "hello\n")],
                                        run: run(.ok, [stream("stdout", "hellp\n")]), options: CompareOptions())
        #expect(verdict.failed && verdict.firstLine == "greet")
        #expect(CheckText.cell(verdict).contains("cell 3 (greet): outputs differ"))
        #expect(CheckText.cell(verdict).contains("    - stdout: hello\n    + stdout: hellp"))
    }

    @Test func tagsDecideWhatAFailureMeans() {
        let failure = NotebookRunner.CellRun.Status.failed(ename: "ErrorCall", evalue: "boom")
        let stored = [error("ErrorCall", "boom")]
        for tag in CellVerdict.raisesTags {
            #expect(CellVerdict.judge(number: 1, source: "x", tags: [tag], stored: stored, run: run(failure, stored),
                                      options: CompareOptions()).outcome == .passed)
            let succeeded = CellVerdict.judge(number: 1, source: "x", tags: [tag], stored: [], run: run(.ok, []), options: CompareOptions())
            #expect(CheckText.cell(succeeded).contains("expected an error"))
        }
        let unexpected = CellVerdict.judge(number: 1, source: "x", tags: [], stored: stored, run: run(failure, stored), options: CompareOptions())
        #expect(CheckText.cell(unexpected).contains("failed: ErrorCall: boom"))
        let ignored = CellVerdict.judge(number: 1, source: "x", tags: ["nbval-ignore-output"], stored: [stream("stdout", "1\n")],
                                        run: run(.ok, [stream("stdout", "2\n")]), options: CompareOptions())
        #expect(ignored.outcome == .passed)
        let skipped = CellVerdict.judge(number: 1, source: "x", tags: ["nbval-skip"], stored: [], run: run(.skipped, []), options: CompareOptions())
        #expect(skipped.outcome == .skipped)
        let timedOut = CellVerdict.judge(number: 1, source: "x", tags: [], stored: [],
                                         run: run(.failed(ename: "resource-limit", evalue: "time limit reached: 2 s"), []), options: CompareOptions())
        #expect(CheckText.cell(timedOut).contains("timed out after 0 s: time limit reached"))
        let notRun = CellVerdict.judge(number: 1, source: "x", tags: [], stored: [], run: run(.notRun, []), options: CompareOptions())
        #expect(CheckText.cell(notRun).contains("not run"))
    }

    @Test func parametersAreTypedFromTheirLiterals() {
        #expect(NotebookParameters.literal("42") == "(42 :: Integer)")
        #expect(NotebookParameters.literal("-3") == "(-3 :: Integer)")
        #expect(NotebookParameters.literal("2.5") == "(2.5 :: Double)")
        #expect(NotebookParameters.literal("True") == "True")
        #expect(NotebookParameters.literal("[1,2,3]") == "[1,2,3]")
        #expect(NotebookParameters.literal("bob") == "\"bob\"")
        #expect(NotebookParameters.literal("say \"hi\"\\\n\u{1}2") == "\"say \\\"hi\\\"\\\\\\n\\1\\&2\"")
    }

    @Test func theParametersCellFollowsTheTaggedOneOrLeadsTheNotebook() throws {
        let tagged: JSON = ["cells": [["cell_type": "code", "source": "n = 1", "metadata": ["tags": ["parameters"]], "outputs": []],
                                      ["cell_type": "code", "source": "n", "metadata": [:], "outputs": []]]]
        let injected = try NotebookParameters.inject([("n", "5")], into: tagged)
        #expect(injected["cells"]?.arrayValue?[1]["source"] == "let n = (5 :: Integer)")
        #expect(injected["cells"]?.arrayValue?[1]["metadata"]?["tags"] == ["injected-parameters"])
        let plain: JSON = ["cells": [["cell_type": "code", "source": "n", "metadata": [:], "outputs": []]]]
        #expect(try NotebookParameters.inject([("n", "5")], into: plain)["cells"]?.arrayValue?[0]["source"] == "let n = (5 :: Integer)")
        #expect(throws: NotebookError.self) { try NotebookParameters.inject([("N", "5")], into: plain) }
        // Updating leaves the injected cell out of the stored notebook.
        let executed = try NotebookParameters.inject([("n", "5")], into: tagged)
        #expect(NotebookCheck.updated(tagged, from: executed)["cells"]?.arrayValue?.count == 2)
    }

    @Test func theJUnitReportCountsAndEscapes() throws {
        let failed = CellVerdict.judge(number: 2, source: "a < b && \"c\"\u{1b}[0m", tags: [], stored: [stream("stdout", "x\n")],
                                       run: run(.ok, [stream("stdout", "y\n")]), options: CompareOptions())
        let passed = CellVerdict.judge(number: 1, source: "1", tags: [], stored: [], run: run(.ok, []), options: CompareOptions())
        let skipped = CellVerdict.judge(number: 3, source: "s", tags: ["skip-execution"], stored: [], run: run(.skipped, []),
                                        options: CompareOptions())
        let xml = JUnitReport.xml([.init(path: "nb & co.ipynb", verdicts: [passed, failed, skipped], seconds: 1.5)], perCell: true)
        let document = try XMLDocument(xmlString: xml)
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "name")?.stringValue == "nb & co.ipynb")
        #expect(suite.attribute(forName: "tests")?.stringValue == "3")
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        #expect(suite.attribute(forName: "skipped")?.stringValue == "1")
        let failure = try #require(try document.nodes(forXPath: "//failure").first)
        #expect(failure.stringValue?.contains("- stdout: x") == true)
        let perNotebook = try XMLDocument(xmlString: JUnitReport.xml([.init(path: "n", verdicts: [passed, failed], seconds: 1)], perCell: false))
        #expect(try perNotebook.nodes(forXPath: "//testcase").count == 1)
        #expect(try perNotebook.nodes(forXPath: "//failure").count == 1)
    }
}
