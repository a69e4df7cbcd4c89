@testable import GHCiRuntime
import Testing

/// Real-world cells, checked chunk by chunk: kind, text, first line and line count.
let splitCases: [SplitCase] = [
    SplitCase("empty cell", "", []),
    SplitCase("only blanks and comments", cell("", "-- nothing here", "{- nor", "   here -}", "   "), []),
    SplitCase("one expression", "1 + 2", [chunk(.expression, 1, "1 + 2")]),
    SplitCase("UnicodeSyntax signature joins its equations",
        cell("twice ∷ ∀ a. (a → a) → a → a", "twice f = f . f", "twice (+ 1) 40"),
        [chunk(.declaration, 1, "twice ∷ ∀ a. (a → a) → a → a", "twice f = f . f"), chunk(.expression, 3, "twice (+ 1) 40")]),
    SplitCase("UnicodeSyntax bind is a statement", "x ← getLine", [chunk(.statement, 1, "x ← getLine")]),
    SplitCase(
        "pragma, imports, signature, guarded equations with where, expression",
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
            "map describe [0, -1, 4]"),
        [
            chunk(
                .pragma, 1, "{-# LANGUAGE OverloadedStrings, TupleSections #-}",
                extensions: ["OverloadedStrings", "TupleSections"]),
            chunk(.importDecl, 2, "import qualified Data.Map as M"),
            chunk(.importDecl, 3, "import Data.List (sortBy, groupBy)"),
            chunk(
                .declaration, 5,
                "describe :: Int -> String",
                "describe 0 = \"zero\"",
                "describe n | n < 0 = \"negative\"",
                "describe n",
                "  | even n = \"even \" ++ suffix",
                "  | otherwise = \"odd \" ++ suffix",
                "  where suffix = \"number\""),
            chunk(.expression, 13, "map describe [0, -1, 4]"),
        ]),
    SplitCase(
        "data with deriving, then a function over it",
        cell(
            "data Shape = Circle Double | Rect Double Double deriving (Show, Eq)",
            "area :: Shape -> Double",
            "area (Circle r) = pi * r * r",
            "area (Rect w h) = w * h",
            "area (Circle 1)"),
        [
            chunk(
                .declaration, 1,
                "data Shape = Circle Double | Rect Double Double deriving (Show, Eq)",
                "area :: Shape -> Double",
                "area (Circle r) = pi * r * r",
                "area (Rect w h) = w * h"),
            chunk(.expression, 5, "area (Circle 1)"),
        ]),
    SplitCase(
        "multi-line record and a value of it",
        cell(
            "data Person = Person",
            "  { name :: String",
            "  , age  :: Int",
            "  } deriving (Show)",
            "",
            "alice = Person { name = \"Alice\", age = 30 }",
            "alice { age = 31 }"),
        [
            chunk(
                .declaration, 1,
                "data Person = Person",
                "  { name :: String",
                "  , age  :: Int",
                "  } deriving (Show)",
                "",
                "alice = Person { name = \"Alice\", age = 30 }"),
            chunk(.expression, 7, "alice { age = 31 }"),
        ]),
    SplitCase(
        "class with indented methods",
        cell(
            "class Describable a where",
            "  describe :: a -> String",
            "  describe _ = \"thing\"",
            "",
            "  name' :: a -> String"),
        [
            chunk(
                .declaration, 1,
                "class Describable a where",
                "  describe :: a -> String",
                "  describe _ = \"thing\"",
                "",
                "  name' :: a -> String")
        ]),
    SplitCase(
        "instance with indented methods",
        cell(
            "data Foo = Foo Int",
            "instance Show Foo where",
            "  show (Foo n) = \"Foo \" ++ show n",
            "print (Foo 3)"),
        [
            chunk(.declaration, 1, "data Foo = Foo Int", "instance Show Foo where", "  show (Foo n) = \"Foo \" ++ show n"),
            chunk(.expression, 4, "print (Foo 3)"),
        ]),
    SplitCase(
        "multi-line do block expression",
        cell(
            "import Control.Monad (forM_)",
            "forM_ [1..3] $ \\i -> do",
            "  let sq = i * i",
            "  print sq"),
        [
            chunk(.importDecl, 1, "import Control.Monad (forM_)"),
            chunk(.expression, 2, "forM_ [1..3] $ \\i -> do", "  let sq = i * i", "  print sq"),
        ]),
    SplitCase("let statement", "let x = 2", [chunk(.statement, 1, "let x = 2")]),
    SplitCase(
        "multi-line let then use",
        cell("let a = 1", "    b = 2", "print (a + b)"),
        [chunk(.statement, 1, "let a = 1", "    b = 2"), chunk(.expression, 3, "print (a + b)")]),
    SplitCase("let ... in is an expression", "let x = 1 in x * 2", [chunk(.expression, 1, "let x = 1 in x * 2")]),
    SplitCase(
        "let ... in with `in` in column 1",
        cell("let y = 10", "    z = 20", "in y + z"),
        [chunk(.expression, 1, "let y = 10", "    z = 20", "in y + z")]),
    SplitCase(
        "let binding a do block stays a statement",
        cell("let greet n = do", "      let msg = \"hi \" ++ n", "      putStrLn msg"),
        [chunk(.statement, 1, "let greet n = do", "      let msg = \"hi \" ++ n", "      putStrLn msg")]),
    SplitCase(
        "binds",
        cell("name <- pure \"ada\"", "(a, b) <- return (1, 2)", "Just n <- pure (Just 3)", "x :: Int <- return 5"),
        [
            chunk(.statement, 1, "name <- pure \"ada\""),
            chunk(.statement, 2, "(a, b) <- return (1, 2)"),
            chunk(.statement, 3, "Just n <- pure (Just 3)"),
            chunk(.statement, 4, "x :: Int <- return 5"),
        ]),
    SplitCase(
        "directives",
        cell(":type map", ":t foldr", ":info Maybe", ":kind Either", ":set -XLambdaCase", ":module + Data.List"),
        [
            chunk(.directive, 1, ":type map"),
            chunk(.directive, 2, ":t foldr"),
            chunk(.directive, 3, ":info Maybe"),
            chunk(.directive, 4, ":kind Either"),
            chunk(.directive, 5, ":set -XLambdaCase"),
            chunk(.directive, 6, ":module + Data.List"),
        ]),
    SplitCase(
        "directive between declaration and expression",
        cell("x = 1", ":t x", "x + 1"),
        [chunk(.declaration, 1, "x = 1"), chunk(.directive, 2, ":t x"), chunk(.expression, 3, "x + 1")]),
    SplitCase(
        "directive text is not lexed as Haskell",
        cell(":set prompt \"{- \"", "1"),
        [chunk(.directive, 1, ":set prompt \"{- \""), chunk(.expression, 2, "1")]),
    SplitCase(
        "user's own :{ :} block holding a let",
        cell(":{", "let f 0 = 1", "    f n = n * f (n - 1)", ":}", "f 5"),
        [chunk(.statement, 2, "let f 0 = 1", "    f n = n * f (n - 1)"), chunk(.expression, 5, "f 5")]),
    SplitCase(
        "user's own :{ :} block holding declarations",
        cell("g :: Int -> Int", ":{", "h :: Int -> Int", "h = (* 2)", "k = 1", ":}"),
        [chunk(.expression, 1, "g :: Int -> Int"), chunk(.declaration, 3, "h :: Int -> Int", "h = (* 2)", "k = 1")]),
    SplitCase(
        "unclosed :{ takes the rest of the cell",
        cell(":{", "z = 1", "z"),
        [chunk(.declaration, 2, "z = 1", "z")]),
    SplitCase(
        "strings holding -- and {-",
        cell("putStrLn \"a -- b\"", "putStrLn \"{- not a comment\"", "x = '{'", "print x"),
        [
            chunk(.expression, 1, "putStrLn \"a -- b\""),
            chunk(.expression, 2, "putStrLn \"{- not a comment\""),
            chunk(.declaration, 3, "x = '{'"),
            chunk(.expression, 4, "print x"),
        ]),
    SplitCase(
        "character literals with quotes, dashes and brackets",
        cell("c = '\"'", "print [c, '\\'', '-', '(']", "foldl' (+) 0 [1, 2]"),
        [
            chunk(.declaration, 1, "c = '\"'"),
            chunk(.expression, 2, "print [c, '\\'', '-', '(']"),
            chunk(.expression, 3, "foldl' (+) 0 [1, 2]"),
        ]),
    SplitCase(
        "nested block comments spanning lines",
        cell(
            "{- outer",
            "   {- inner -}",
            "   still outer",
            "-}",
            "double :: Int -> Int",
            "double = (* 2) {- trailing",
            "comment -}",
            "double 4"),
        [
            chunk(.declaration, 5, "double :: Int -> Int", "double = (* 2) {- trailing", "comment -}"),
            chunk(.expression, 8, "double 4"),
        ]),
    SplitCase(
        "line comments between equations stay, comments after are dropped",
        cell(
            "-- | Factorial.",
            "fact :: Integer -> Integer",
            "-- base case",
            "fact 0 = 1",
            "-- recursive case",
            "fact n = n * fact (n - 1)",
            "",
            "-- now use it",
            "fact 20  -- big"),
        [
            chunk(
                .declaration, 2,
                "fact :: Integer -> Integer",
                "-- base case",
                "fact 0 = 1",
                "-- recursive case",
                "fact n = n * fact (n - 1)"),
            chunk(.expression, 9, "fact 20  -- big"),
        ]),
    SplitCase(
        "operators that look like comments",
        cell(
            "(-->) :: Bool -> Bool -> Bool",
            "a --> b = not a || b",
            "infixr 1 -->",
            "x |-- y = x",
            "True --> False"),
        [
            chunk(
                .declaration, 1,
                "(-->) :: Bool -> Bool -> Bool",
                "a --> b = not a || b",
                "infixr 1 -->",
                "x |-- y = x"),
            chunk(.expression, 5, "True --> False"),
        ]),
    SplitCase(
        "operator definition with fixity",
        cell(
            "infixl 6 <+>",
            "(<+>) :: [Int] -> [Int] -> [Int]",
            "xs <+> ys = zipWith (+) xs ys",
            "[1, 2] <+> [3, 4]"),
        [
            chunk(
                .declaration, 1,
                "infixl 6 <+>",
                "(<+>) :: [Int] -> [Int] -> [Int]",
                "xs <+> ys = zipWith (+) xs ys"),
            chunk(.expression, 4, "[1, 2] <+> [3, 4]"),
        ]),
    SplitCase(
        "backtick infix definition",
        cell("a `plus` b = a + b", "3 `plus` 4"),
        [chunk(.declaration, 1, "a `plus` b = a + b"), chunk(.expression, 2, "3 `plus` 4")]),
    SplitCase(
        "mutually recursive even and odd",
        cell(
            "isEven' :: Int -> Bool",
            "isEven' 0 = True",
            "isEven' n = isOdd' (n - 1)",
            "isOdd' :: Int -> Bool",
            "isOdd' 0 = False",
            "isOdd' n = isEven' (n - 1)",
            "isEven' 10"),
        [
            chunk(
                .declaration, 1,
                "isEven' :: Int -> Bool",
                "isEven' 0 = True",
                "isEven' n = isOdd' (n - 1)",
                "isOdd' :: Int -> Bool",
                "isOdd' 0 = False",
                "isOdd' n = isEven' (n - 1)"),
            chunk(.expression, 7, "isEven' 10"),
        ]),
    SplitCase(
        "a value bound again is a redefinition",
        cell("x = 1", "x = 2", "x"),
        [chunk(.declaration, 1, "x = 1"), chunk(.declaration, 2, "x = 2"), chunk(.expression, 3, "x")]),
    SplitCase(
        "a function defined again after another is a redefinition",
        cell("f x = x + 1", "g = 3", "f x = x * 2"),
        [chunk(.declaration, 1, "f x = x + 1", "g = 3"), chunk(.declaration, 3, "f x = x * 2")]),
    SplitCase(
        "a second signature starts a redefinition",
        cell("h :: Int", "h = 1", "h :: Int", "h = 2"),
        [chunk(.declaration, 1, "h :: Int", "h = 1"), chunk(.declaration, 3, "h :: Int", "h = 2")]),
    SplitCase(
        "a type declared again is a redefinition",
        cell("data T = A", "data T = B deriving Show", "B"),
        [
            chunk(.declaration, 1, "data T = A"), chunk(.declaration, 2, "data T = B deriving Show"),
            chunk(.expression, 3, "B"),
        ]),
    SplitCase(
        "where in column 1 does not crash and stays with its equation",
        cell("f x = y", "where y = x", "f 1"),
        [chunk(.declaration, 1, "f x = y", "where y = x"), chunk(.expression, 3, "f 1")]),
    SplitCase(
        "a lone where",
        "where",
        [chunk(.expression, 1, "where")]),
    SplitCase(
        "CRLF line endings",
        "x = 1\r\ny = 2\r\nx + y\r\n",
        [chunk(.declaration, 1, "x = 1", "y = 2"), chunk(.expression, 3, "x + y")]),
    SplitCase(
        "tabs indent a do block",
        cell("main :: IO ()", "main = do", "\tputStrLn \"tab\"", "\tputStrLn \"bed\"  ", "main"),
        [
            chunk(.declaration, 1, "main :: IO ()", "main = do", "\tputStrLn \"tab\"", "\tputStrLn \"bed\""),
            chunk(.expression, 5, "main"),
        ]),
    SplitCase(
        "= inside an operator is not a binding",
        cell("y = 5", "y == 5", "y /= 4", "(>= 3) y", "f (y) = y", "[n | n <- [1..9], n >= y]"),
        [
            chunk(.declaration, 1, "y = 5"),
            chunk(.expression, 2, "y == 5"),
            chunk(.expression, 3, "y /= 4"),
            chunk(.expression, 4, "(>= 3) y"),
            chunk(.declaration, 5, "f (y) = y"),
            chunk(.expression, 6, "[n | n <- [1..9], n >= y]"),
        ]),
    SplitCase(
        "type annotations are expressions",
        cell("pi :: Double", "read \"5\" :: Int"),
        [chunk(.expression, 1, "pi :: Double"), chunk(.expression, 2, "read \"5\" :: Int")]),
    SplitCase(
        "lambda and let inside expressions",
        cell("(\\x -> let y = x in y) 3", "map (\\p -> p { age = 1 }) []"),
        [chunk(.expression, 1, "(\\x -> let y = x in y) 3"), chunk(.expression, 2, "map (\\p -> p { age = 1 }) []")]),
    SplitCase(
        "OPTIONS_GHC pragma",
        "{-# OPTIONS_GHC -Wall #-}",
        [chunk(.pragma, 1, "{-# OPTIONS_GHC -Wall #-}")]),
    SplitCase(
        "several pragmas, one over two lines",
        cell("{-# LANGUAGE ScopedTypeVariables,", "             LambdaCase #-}", "{-# language DeriveFunctor #-}"),
        [
            chunk(
                .pragma, 1, "{-# LANGUAGE ScopedTypeVariables,", "             LambdaCase #-}",
                extensions: ["ScopedTypeVariables", "LambdaCase"]),
            chunk(.pragma, 3, "{-# language DeriveFunctor #-}", extensions: ["DeriveFunctor"]),
        ]),
    SplitCase(
        "two pragmas on one line",
        "{-# LANGUAGE GADTs #-} {-# LANGUAGE RankNTypes #-}",
        [
            chunk(.pragma, 1, "{-# LANGUAGE GADTs #-}", extensions: ["GADTs"]),
            chunk(.pragma, 1, "{-# LANGUAGE RankNTypes #-}", extensions: ["RankNTypes"]),
        ]),
    SplitCase(
        "INLINE pragma stays with its function",
        cell("square :: Int -> Int", "{-# INLINE square #-}", "square x = x * x", "square 7"),
        [
            chunk(.declaration, 1, "square :: Int -> Int", "{-# INLINE square #-}", "square x = x * x"),
            chunk(.expression, 4, "square 7"),
        ]),
    SplitCase(
        "multi-line import lists",
        cell("import Data.Map", "  ( Map", "  , fromList", "  )", "import qualified Data.Set as Set hiding (map)"),
        [
            chunk(.importDecl, 1, "import Data.Map", "  ( Map", "  , fromList", "  )"),
            chunk(.importDecl, 5, "import qualified Data.Set as Set hiding (map)"),
        ]),
    SplitCase(
        "newtype, standalone deriving, type synonym and families",
        cell(
            "{-# LANGUAGE StandaloneDeriving, TypeFamilies #-}",
            "newtype Age = Age Int",
            "deriving instance Show Age",
            "type Name = String",
            "type family Elem c",
            "type instance Elem [e] = e"),
        [
            chunk(
                .pragma, 1, "{-# LANGUAGE StandaloneDeriving, TypeFamilies #-}",
                extensions: ["StandaloneDeriving", "TypeFamilies"]),
            chunk(
                .declaration, 2,
                "newtype Age = Age Int",
                "deriving instance Show Age",
                "type Name = String",
                "type family Elem c",
                "type instance Elem [e] = e"),
        ]),
    SplitCase(
        "deriving clause in column 1 stays with its data",
        cell("data Color = Red | Green", "deriving (Show)"),
        [chunk(.declaration, 1, "data Color = Red | Green", "deriving (Show)")]),
    SplitCase(
        "case expression over lines",
        cell("case lookup 2 [(1, \"a\"), (2, \"b\")] of", "  Just s -> putStrLn s", "  Nothing -> pure ()"),
        [chunk(.expression, 1, "case lookup 2 [(1, \"a\"), (2, \"b\")] of", "  Just s -> putStrLn s", "  Nothing -> pure ()")]),
    SplitCase(
        "then and else in column 1",
        cell("if 1 > 2", "then putStrLn \"yes\"", "else putStrLn \"no\""),
        [chunk(.expression, 1, "if 1 > 2", "then putStrLn \"yes\"", "else putStrLn \"no\"")]),
    SplitCase(
        "guarded value and bang pattern",
        cell("answer | True = 42", "strict !n = n", "strict answer"),
        [chunk(.declaration, 1, "answer | True = 42", "strict !n = n"), chunk(.expression, 3, "strict answer")]),
    SplitCase(
        "a cell pasted with indentation",
        cell("  x = 1", "  y = x + 1", "  print y"),
        [chunk(.declaration, 1, "  x = 1", "  y = x + 1"), chunk(.expression, 3, "  print y")]),
    SplitCase(
        "blank lines inside a do block and a where",
        cell(
            "main :: IO ()",
            "main = do",
            "  putStrLn \"a\"",
            "",
            "  putStrLn helper",
            "  where",
            "    helper = \"b\"",
            "",
            "main"),
        [
            chunk(
                .declaration, 1,
                "main :: IO ()",
                "main = do",
                "  putStrLn \"a\"",
                "",
                "  putStrLn helper",
                "  where",
                "    helper = \"b\""),
            chunk(.expression, 9, "main"),
        ]),
    SplitCase(
        "string gaps over lines, even from column 1",
        cell("msg = \"hello \\", "      \\world\"", "s = \"abc\\", "\\def\"", "putStrLn (msg ++ s)"),
        [
            chunk(.declaration, 1, "msg = \"hello \\", "      \\world\"", "s = \"abc\\", "\\def\""),
            chunk(.expression, 5, "putStrLn (msg ++ s)"),
        ]),
    SplitCase(
        "expression continued by an indented operator line",
        cell("sum [1..10]", "  + product [1..4]"),
        [chunk(.expression, 1, "sum [1..10]", "  + product [1..4]")]),
    SplitCase(
        "statement followed by a declaration is not grouped",
        cell("n <- pure 3", "m = n + 1", "let k = 2", "m * k"),
        [
            chunk(.statement, 1, "n <- pure 3"),
            chunk(.declaration, 2, "m = n + 1"),
            chunk(.statement, 3, "let k = 2"),
            chunk(.expression, 4, "m * k"),
        ]),
    SplitCase(
        "an unclosed block comment swallows the rest",
        cell("x = 1", "{- never closed", "y = 2"),
        [chunk(.declaration, 1, "x = 1")]),
    SplitCase(
        "explicit braces and semicolons",
        "do { putStrLn \"a\"; putStrLn \"b\" }",
        [chunk(.expression, 1, "do { putStrLn \"a\"; putStrLn \"b\" }")]),
]

@Test(arguments: splitCases)
func splitsCell(_ example: SplitCase) {
    let chunks = CellSplitter.split(example.cell)
    #expect(chunks == example.chunks)
    for chunk in chunks {
        #expect(chunk.lineCount == chunk.text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}

@Test func splitterTableIsLarge() {
    #expect(splitCases.count >= 40)
}

/// Chunk lines must be the cell's own lines, so diagnostics map back by `startLine`.
@Test(arguments: splitCases)
func chunkLinesAreCellLines(_ example: SplitCase) {
    let lines = example.cell.sourceLines
    for chunk in CellSplitter.split(example.cell) where chunk.kind != .pragma {
        let chunkLines = chunk.text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in chunkLines.enumerated() {
            #expect(lines[chunk.startLine - 1 + offset].hasSuffix(line))
        }
    }
}
