/// One problem GHC or the running program reported, located in the cell's own lines.
///
/// Compile errors, warnings and runtime exceptions share this shape so that the
/// kernel can put all of them in `execute_reply.diagnostics` and in the `error` message.
public struct Diagnostic: Equatable, Sendable {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var severity: Severity
    /// `Cell[7]` for cell 7, or the file name GHC printed for a loaded module.
    public var module: String
    public var span: SourceSpan
    /// GHC's diagnostic code (`GHC-88464`) where the compiler prints one (9.6 and later).
    public var code: String?
    /// GHC's text without the location header, indentation normalised, hints moved out.
    public var message: String
    /// GHC's own hint, else a short hint of ghcbox's for a common case.
    public var suggestion: String?
    /// One line a beginner understands.
    public var summary: String
    /// `CompileError` for compiler output; the exception type for runtime failures.
    public var ename: String
    /// The warning flag GHC named (`-Wunused-matches`), if any.
    public var warningFlag: String?
    /// The cell whose execution produced this record; lets the traceback decide
    /// whether the span points into the source it was given.
    public var executingCell: Int?

    public init(
        severity: Severity, module: String, span: SourceSpan, code: String? = nil,
        message: String, suggestion: String? = nil, summary: String,
        ename: String = Diagnostic.compileErrorName, warningFlag: String? = nil,
        executingCell: Int? = nil
    ) {
        self.severity = severity
        self.module = module
        self.span = span
        self.code = code
        self.message = message
        self.suggestion = suggestion
        self.summary = summary
        self.ename = ename
        self.warningFlag = warningFlag
        self.executingCell = executingCell
    }

    /// The `ename` of every record that comes from the compiler.
    public static let compileErrorName = "CompileError"

    /// The module name ghcbox gives cell `n`; also the file name in the LINE pragma.
    public static func moduleName(cell: Int) -> String { "Cell[\(cell)]" }
}
