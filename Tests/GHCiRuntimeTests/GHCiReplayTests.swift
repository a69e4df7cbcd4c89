@testable import GHCiRuntime
import Testing

/// A cell whose chunks, run in a real GHCi, must print `expected` without any error.
struct ReplayCase: Sendable, CustomTestStringConvertible {
    var name: String
    var cell: String
    var expected: [String]

    init(_ name: String, _ cell: String, expecting expected: String...) {
        self.name = name
        self.cell = cell
        self.expected = expected
    }

    var testDescription: String { name }
}

let replayCases: [ReplayCase] = [
    ReplayCase(
        "pragma, imports, guarded equations with where",
        cell(
            "{-# LANGUAGE OverloadedStrings, TupleSections #-}",
            "import qualified Data.Map as M",
            "import Data.List (sortBy, groupBy)",
            "",
            "describe :: Int -> String",
            "describe 0 = \"zero\"",
            "describe n | n < 0 = \"negative\"",
            "describe n",
            "  | even n = \"even \" ++ suffix",
            "  | otherwise = \"odd \" ++ suffix",
            "  where suffix = \"number\"",
            "",
            "map describe [0, -1, 4]",
            "M.toList (M.fromList [(1 :: Int, 'a')])",
            "(,True) 'x'"),
        expecting: "[\"zero\",\"negative\",\"even number\"]", "[(1,'a')]", "('x',True)"),
    ReplayCase(
        "data, records, class and instance",
        cell(
            "data Shape = Circle Double | Rect Double Double deriving (Show, Eq)",
            "area :: Shape -> Double",
            "area (Circle r) = pi * r * r",
            "area (Rect w h) = w * h",
            "area (Circle 1)",
            "data Person = Person",
            "  { name :: String",
            "  , age  :: Int",
            "  } deriving (Show)",
            "alice = Person { name = \"Alice\", age = 30 }",
            "alice { age = 31 }",
            "class Describable a where",
            "  describe' :: a -> String",
            "  describe' _ = \"thing\"",
            "instance Describable Bool where",
            "  describe' b = if b then \"yes\" else \"no\"",
            "describe' True"),
        expecting: "3.141592653589793", "Person {name = \"Alice\", age = 31}", "\"yes\""),
    ReplayCase(
        "do blocks, lets and binds",
        cell(
            "import Control.Monad (forM_)",
            "forM_ [1..3] $ \\i -> do",
            "  let sq = i * i",
            "  print sq",
            "let y = 10",
            "    z = 20",
            "in y + z",
            "n <- pure (7 :: Int)",
            "let k = n * 6",
            "print k",
            "if k > 100",
            "then putStrLn \"big\"",
            "else putStrLn \"small\""),
        expecting: "1\n4\n9", "30", "42", "small"),
    ReplayCase(
        "operators, mutual recursion and redefinition",
        cell(
            "(-->) :: Bool -> Bool -> Bool",
            "a --> b = not a || b",
            "infixr 1 -->",
            "True --> False",
            "isEven' :: Int -> Bool",
            "isEven' 0 = True",
            "isEven' n = isOdd' (n - 1)",
            "isOdd' :: Int -> Bool",
            "isOdd' 0 = False",
            "isOdd' n = isEven' (n - 1)",
            "(isEven' 10, isOdd' 7)",
            "x = 1",
            "x = 2",
            "x + 40"),
        expecting: "False", "(True,True)", "42"),
    ReplayCase(
        "comments, strings, tabs, pragmas and directives",
        cell(
            "{- outer",
            "   {- inner -}",
            "-}",
            "-- | Doubles.",
            "double :: Int -> Int",
            "{-# INLINE double #-}",
            "double = (* 2) {- trailing",
            "comment -}",
            "putStrLn \"a -- b\"",
            "putStrLn \"{- not a comment\"",
            "msg = \"hello \\",
            "      \\world\"",
            "putStrLn msg",
            "main :: IO ()",
            "main = do",
            "\tprint (double 21)",
            "main",
            ":t map",
            ":{",
            "let f 0 = 1",
            "    f m = m * f (m - 1)",
            ":}",
            "f 5"),
        expecting: "a -- b", "{- not a comment", "hello world", "42", "map :: (a -> b) -> [a] -> [b]", "120"),
]

@Test(arguments: replayCases)
func chunksRunInGHCi(_ example: ReplayCase) throws {
    guard let ghci = GHCiReplay.executable else {
        Issue.record("ghci is not on PATH, so the split of \(example.name) was not checked against GHCi")
        return
    }
    let input = GHCiReplay.input(for: CellSplitter.split(example.cell))
    let output = try GHCiReplay.run(ghci, input: input)
    for expected in example.expected {
        #expect(output.contains(expected), "missing \(expected.debugDescription) in:\n\(output)\ninput:\n\(input)")
    }
    #expect(!output.lowercased().contains("error"), "GHCi reported an error:\n\(output)\ninput:\n\(input)")
}
