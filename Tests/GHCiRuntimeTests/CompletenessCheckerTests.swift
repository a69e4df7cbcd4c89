@testable import GHCiRuntime
import InterpreterAPI
import Testing

/// One row of the completeness table: what a console user typed and what Enter should do.
struct CompletenessCase: Sendable, CustomTestStringConvertible {
    var code: String
    var expected: CompletenessResult

    init(_ code: String, _ expected: CompletenessResult) {
        self.code = code
        self.expected = expected
    }

    var testDescription: String { code.debugDescription }
}

let completenessCases: [CompletenessCase] = [
    // Nothing to wait for.
    CompletenessCase("", .complete),
    CompletenessCase("   \n\n", .complete),
    CompletenessCase("-- just a comment", .complete),
    CompletenessCase("1 + 2", .complete),
    CompletenessCase("main = do\n  print 1\n", .complete),
    CompletenessCase("main = do\n  print 1\n  ", .complete),
    CompletenessCase("if x then 1 else 2", .complete),
    CompletenessCase("if | x -> 1\n   | otherwise -> 2\n", .complete),
    CompletenessCase("x = 1\ny = 2", .complete),
    CompletenessCase("  x = 1\n  y = 2", .complete),
    CompletenessCase("f = g\n  where\nmain = print 1", .complete),
    CompletenessCase("x = 1 -- trailing comment", .complete),
    CompletenessCase("{- a -} x", .complete),
    CompletenessCase("x = \"a -- b\"", .complete),
    CompletenessCase("x = \"{-\"", .complete),
    CompletenessCase("c = '('", .complete),
    CompletenessCase(":t map", .complete),
    CompletenessCase(":t (", .complete),
    CompletenessCase(":{\nf x = 1\n:}", .complete),
    CompletenessCase("data T = A | B deriving (Show)", .complete),
    CompletenessCase("x = 1\r\ny = 2\r\n", .complete),
    // Layout keywords at the end.
    CompletenessCase("main = do", .incomplete(indent: "  ")),
    CompletenessCase("main = do -- then print", .incomplete(indent: "  ")),
    CompletenessCase("case x of", .incomplete(indent: "  ")),
    CompletenessCase("class C a where", .incomplete(indent: "  ")),
    CompletenessCase("f = g\n  where", .incomplete(indent: "    ")),
    CompletenessCase("let", .incomplete(indent: "  ")),
    CompletenessCase("main = do\n  if ok", .incomplete(indent: "    ")),
    CompletenessCase("\tmain = do", .incomplete(indent: "\t  ")),
    CompletenessCase("if x then 1", .incomplete(indent: "  ")),
    CompletenessCase("f x = case x of\n  Just y -> do", .incomplete(indent: "    ")),
    CompletenessCase("main = do\n  let g = do", .incomplete(indent: "        ")),
    CompletenessCase("g = h\n  where\n    k = \\case", .incomplete(indent: "      ")),
    // A binding in a `let` or `where` continues right of its name, or the block closes.
    CompletenessCase("let y =", .incomplete(indent: "      ")),
    CompletenessCase("main = do\n  let y =", .incomplete(indent: "        ")),
    CompletenessCase("f = g\n  where h =", .incomplete(indent: "          ")),
    CompletenessCase("f = g\n  where h x | x > 0 =", .incomplete(indent: "          ")),
    CompletenessCase("main = do\n  let xs = [1,", .incomplete(indent: "        ")),
    CompletenessCase("(let x = 1 in x) +", .incomplete(indent: "  ")),
    CompletenessCase("main = do\n  print (foo", .incomplete(indent: "    ")),
    // An indented last line: the block may go on until a blank line, as in IPython.
    CompletenessCase("main = do\n  print 1", .incomplete(indent: "  ")),
    CompletenessCase("main = do\n  let x = 1", .incomplete(indent: "  ")),
    CompletenessCase("main = do\n  forM_ xs $ \\x -> do\n    print x", .incomplete(indent: "    ")),
    CompletenessCase("f x = case x of\n  Just y -> y", .incomplete(indent: "  ")),
    CompletenessCase("f = g\n  where h = 1", .incomplete(indent: "        ")),
    CompletenessCase("f x\n  | x > 0 = 1", .incomplete(indent: "  ")),
    CompletenessCase("data T = A\n  | B", .incomplete(indent: "  ")),
    CompletenessCase("if | x -> 1\n   | otherwise -> 2", .incomplete(indent: "   ")),
    CompletenessCase("instance Show T where\n  show A = \"a\"", .incomplete(indent: "  ")),
    // Operators waiting for their right operand.
    CompletenessCase("f x =", .incomplete(indent: "  ")),
    CompletenessCase("x = 1 +", .incomplete(indent: "  ")),
    CompletenessCase("f = g .\n", .incomplete(indent: "  ")),
    CompletenessCase("xs >>=", .incomplete(indent: "  ")),
    CompletenessCase("ok = a &&", .incomplete(indent: "  ")),
    CompletenessCase("data T = A |", .incomplete(indent: "  ")),
    CompletenessCase("f ::", .incomplete(indent: "  ")),
    CompletenessCase("f $ \\x ->", .incomplete(indent: "  ")),
    CompletenessCase("line <-", .incomplete(indent: "  ")),
    CompletenessCase("x -->", .incomplete(indent: "  ")),
    // Open brackets.
    CompletenessCase("xs = [1, 2,", .incomplete(indent: "  ")),
    CompletenessCase("xs = [ 1\n     , 2", .incomplete(indent: "     ")),
    CompletenessCase("foo (bar", .incomplete(indent: "  ")),
    CompletenessCase("p = Person {", .incomplete(indent: "  ")),
    // Open comments, pragmas, strings and blocks.
    CompletenessCase("{- start of comment", .incomplete(indent: "")),
    CompletenessCase("{- a {- b -} still", .incomplete(indent: "")),
    CompletenessCase("  {- indented", .incomplete(indent: "  ")),
    CompletenessCase("{-# LANGUAGE GADTs", .incomplete(indent: "")),
    CompletenessCase("s = \"abc\\", .incomplete(indent: "")),
    CompletenessCase("putStrLn \"abc", .incomplete(indent: "")),
    CompletenessCase(":{", .incomplete(indent: "")),
    CompletenessCase(":{\nf x = 1\n", .incomplete(indent: "")),
    // Nothing appended can fix these.
    CompletenessCase("foo)", .invalid),
    CompletenessCase("[1, 2)", .invalid),
    CompletenessCase("(]", .invalid),
    CompletenessCase("x = 1 -}", .invalid),
    CompletenessCase("putStrLn \"abc\nprint 1", .invalid),
    CompletenessCase("main = do\n  print 1 }", .invalid),
]

@Test(arguments: completenessCases)
func checksCompleteness(_ example: CompletenessCase) {
    #expect(CompletenessChecker.check(example.code) == example.expected)
}

@Test func completenessTableIsLarge() {
    #expect(completenessCases.count >= 25)
}
