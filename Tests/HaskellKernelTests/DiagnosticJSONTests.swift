import GHCiRuntime
import HaskellKernel
import JSONValue
import Testing

@Suite struct DiagnosticJSONTests {
    @Test func theRecordHasItsShapeWithExplicitNulls() {
        let diagnostic = Diagnostic(severity: .error, module: "Cell[7]",
                                    span: SourceSpan(startLine: 3, startColumn: 5, endLine: 3, endColumn: 12),
                                    message: "m", summary: "s")
        #expect(String(decoding: diagnostic.json.serialized(), as: UTF8.self)
                == #"{"code":null,"message":"m","module":"Cell[7]","severity":"error","#
                + #""span":{"end_column":12,"end_line":3,"start_column":5,"start_line":3},"suggestion":null,"summary":"s"}"#)
    }

    @Test func codeAndSuggestionAreStringsWhenPresent() {
        let diagnostic = Diagnostic(severity: .warning, module: "Cell[1]", span: SourceSpan(line: 1, column: 1), code: "GHC-88464",
                                    message: "m", suggestion: "use x", summary: "s")
        #expect(diagnostic.json["code"] == "GHC-88464")
        #expect(diagnostic.json["suggestion"] == "use x")
        #expect(diagnostic.json["severity"] == "warning")
    }
}
