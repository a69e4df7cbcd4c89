/// `GHCbox.JSON`: the JSON that displays and comms carry, with its writer and reader. The
/// runtime package depends on GHC's boot packages only (a host may have no aeson), so it
/// brings its own; `JRaw` lets text made by another encoder (aeson's) pass through as is.
enum JSONModule {
    static let name = "GHCbox.JSON"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/JSONModule.swift); compiled into its runtime package.
        -- | JSON values for displays and comms, written and read without other packages.
        module GHCbox.JSON
          ( JSON (..), encodeJSON, decodeJSON, field, object, string, number
          , toBase64, fromBase64
          ) where

        import Data.Bits ((.&.), (.|.), shiftL, shiftR)
        import qualified Data.ByteString as B
        import Data.Char (chr, isDigit, isHexDigit, isSpace, ord, digitToInt)
        import Data.Word (Word8)
        import Numeric (showHex)

        -- | A JSON value. Numbers are Doubles (whole numbers up to 2^53 stay exact).
        data JSON
          = JNull
          | JBool Bool
          | JNumber Double
          | JString String
          | JArray [JSON]
          | JObject [(String, JSON)]
          | JRaw String  -- ^ JSON text made by another encoder, written as it is
          deriving (Eq, Show)

        object :: [(String, JSON)] -> JSON
        object = JObject

        string :: String -> JSON
        string = JString

        number :: Real a => a -> JSON
        number = JNumber . realToFrac

        -- | A member of an object.
        field :: String -> JSON -> Maybe JSON
        field key (JObject members) = lookup key members
        field _ _ = Nothing

        encodeJSON :: JSON -> String
        encodeJSON value = go value ""
          where
            go JNull = showString "null"
            go (JBool b) = showString (if b then "true" else "false")
            go (JNumber n) = showNumber n
            go (JString s) = showQuoted s
            go (JArray xs) = showChar '[' . commas (map go xs) . showChar ']'
            go (JObject kvs) = showChar '{' . commas [showQuoted k . showChar ':' . go v | (k, v) <- kvs] . showChar '}'
            go (JRaw text) = showString text
            commas [] = id
            commas (x : xs) = x . foldr (\y acc -> showChar ',' . y . acc) id xs

        -- JSON has no NaN or infinities; whole numbers print without a fraction.
        showNumber :: Double -> ShowS
        showNumber n
          | isNaN n || isInfinite n = showString "null"
          | n == fromIntegral rounded && abs n < 1e15 = shows rounded
          | otherwise = shows n
          where rounded = round n :: Integer

        showQuoted :: String -> ShowS
        showQuoted s = showChar '"' . foldr (\c acc -> escape c . acc) id s . showChar '"'
          where
            escape '"' = showString "\\\""
            escape '\\' = showString "\\\\"
            escape '\n' = showString "\\n"
            escape '\r' = showString "\\r"
            escape '\t' = showString "\\t"
            escape c
              | c < ' ' = unicode (ord c)
              -- A lone surrogate has no UTF-8 form: it becomes U+FFFD.
              | c >= '\xD800' && c <= '\xDFFF' = unicode 0xFFFD
              | otherwise = showChar c
            unicode n = showString "\\u" . showString (replicate (4 - length hex) '0' ++ hex) where hex = showHex n ""

        -- | Reads one JSON value (surrounding space allowed); Nothing if the text is not JSON.
        decodeJSON :: String -> Maybe JSON
        decodeJSON text = case value (dropWhile isSpace text) of
          Just (v, rest) | all isSpace rest -> Just v
          _ -> Nothing
          where
            value s = case s of
              'n' : 'u' : 'l' : 'l' : r -> Just (JNull, r)
              't' : 'r' : 'u' : 'e' : r -> Just (JBool True, r)
              'f' : 'a' : 'l' : 's' : 'e' : r -> Just (JBool False, r)
              '"' : r -> fmap (\(str, r') -> (JString str, r')) (quoted r "")
              '[' : r -> array (skip r) []
              '{' : r -> members (skip r) []
              _ -> numberValue s
            skip = dropWhile isSpace
            array (']' : r) [] = Just (JArray [], r)
            array s acc = do
              (v, r) <- value (skip s)
              case skip r of
                ',' : r' -> array r' (v : acc)
                ']' : r' -> Just (JArray (reverse (v : acc)), r')
                _ -> Nothing
            members ('}' : r) [] = Just (JObject [], r)
            members s acc = do
              ('"' : r0) <- Just (skip s)
              (key, r1) <- quoted r0 ""
              (':' : r2) <- Just (skip r1)
              (v, r3) <- value (skip r2)
              case skip r3 of
                ',' : r4 -> members r4 ((key, v) : acc)
                '}' : r4 -> Just (JObject (reverse ((key, v) : acc)), r4)
                _ -> Nothing
            quoted s acc = case s of
              '"' : r -> Just (reverse acc, r)
              '\\' : c : r -> case c of
                'u' -> do
                  (n, r') <- hex4 r
                  if n >= 0xD800 && n < 0xDC00
                    then case r' of
                      '\\' : 'u' : r'' | Just (m, r3) <- hex4 r'', m >= 0xDC00 && m < 0xE000 ->
                        quoted r3 (chr (0x10000 + (n - 0xD800) * 0x400 + (m - 0xDC00)) : acc)
                      _ -> quoted r' ('\xFFFD' : acc)
                    else quoted r' (chr n : acc)
                _ -> lookup c escapes >>= \e -> quoted r (e : acc)
              c : r | c >= ' ' -> quoted r (c : acc)
              _ -> Nothing
            escapes = [('"', '"'), ('\\', '\\'), ('/', '/'), ('b', '\b'), ('f', '\f'), ('n', '\n'), ('r', '\r'), ('t', '\t')]
            hex4 s = case splitAt 4 s of
              (h, r) | length h == 4 && all isHexDigit h -> Just (foldl (\n d -> n * 16 + digitToInt d) 0 h, r)
              _ -> Nothing
            numberValue s =
              let (sign, s1) = case s of ('-' : r) -> ("-", r); _ -> ("", s)
                  (whole, s2) = span isDigit s1
                  (frac, s3) = case s2 of ('.' : r) -> let (ds, r') = span isDigit r in ('.' : ds, r'); _ -> ("", s2)
                  (ex, s4) = case s3 of
                    (e : r) | e `elem` "eE" ->
                      let (sg, r') = case r of (x : y) | x `elem` "+-" -> ([x], y); _ -> ("", r)
                          (ds, r'') = span isDigit r'
                      in ('e' : sg ++ ds, r'')
                    _ -> ("", s3)
              in if null whole || frac == "." || ex `elem` ["e", "e+", "e-"]
                   then Nothing
                   -- Haskell's reader wants digits after a point and no "+" in an exponent.
                   else case reads (sign ++ whole ++ frac ++ filter (/= '+') ex) :: [(Double, String)] of
                     [(n, "")] -> Just (JNumber n, s4)
                     _ -> Nothing

        alphabet :: String
        alphabet = ['A' .. 'Z'] ++ ['a' .. 'z'] ++ ['0' .. '9'] ++ "+/"

        -- | Base64 (RFC 4648, padded), as Jupyter carries binary images.
        toBase64 :: B.ByteString -> String
        toBase64 = go . B.unpack
          where
            go (a : b : c : rest) = quad a b c 4 ++ go rest
            go [a, b] = quad a b 0 3 ++ "="
            go [a] = quad a 0 0 2 ++ "=="
            go [] = ""
            quad a b c n =
              let w = (fromIntegral a `shiftL` 16) .|. (fromIntegral b `shiftL` 8) .|. fromIntegral c :: Int
              in take n [alphabet !! ((w `shiftR` s) .&. 63) | s <- [18, 12, 6, 0]]

        -- | Reads Base64; Nothing on a character outside the alphabet.
        fromBase64 :: String -> Maybe B.ByteString
        fromBase64 text = B.pack . concatMap bytes . groups <$> mapM sextet (filter (`notElem` "=\n\r ") text)
          where
            sextet c = lookup c (zip alphabet [0 ..]) :: Maybe Int
            groups [] = []
            groups xs = let (g, rest) = splitAt 4 xs in g : groups rest
            bytes g =
              let w = foldl (\acc x -> acc `shiftL` 6 .|. x) 0 (g ++ replicate (4 - length g) 0)
              in take (length g - 1) [fromIntegral ((w `shiftR` s) .&. 255) :: Word8 | s <- [16, 8, 0]]
        """#
}
