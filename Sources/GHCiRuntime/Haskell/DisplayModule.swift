/// `GHCbox.Display`: what a cell imports to show more than text. A display is a MIME
/// bundle (`Bundle`) sent as `display_data`; any type can have one through the `Display`
/// class, and a cell's value whose type has an instance becomes a rich `execute_result`.
///
/// The printer GHCi uses for values (`printResult`) takes a `Display` instance. Every
/// showable type has one, through a catch-all instance over `Show` that is INCOHERENT:
/// for a value whose type is still a bare variable (`head []`, `mempty`, `undefined`),
/// GHC picks it at once, which leaves `Show a` for GHCi's defaulting as plain GHCi does;
/// any more specific instance, a user's included, wins for its own type. A value with a
/// text-only bundle takes the runtime's text path, unchanged.
enum DisplayModule {
    static let name = "GHCbox.Display"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/DisplayModule.swift); compiled into its runtime package.
        {-# LANGUAGE FlexibleInstances, UndecidableInstances #-}
        -- | Rich output for notebook cells: HTML, SVG, PNG, JPEG, Markdown, LaTeX, JSON and
        -- Vega-Lite, display ids that later output updates, and clearing a cell's output.
        --
        -- > import GHCbox.Display
        -- > display (html "<b>bold</b>")
        -- > instance Display Point where toBundle (Point x y) = pure (svg (circleAt x y))
        module GHCbox.Display
          ( -- * Bundles
            Bundle, plain, html, svg, png, jpeg, markdown, latex, json, vegaLite, withPlain, mime, bundleJSON
            -- * The class
          , Display (..)
            -- * Showing
          , display, DisplayId, newDisplayId, displayWithId, updateDisplay, clearOutput
            -- * GHCi's printer
          , printResult
          , module GHCbox.JSON
          ) where

        import qualified Data.ByteString as B
        import Data.List (nubBy)
        import Data.Function (on)
        import GHCbox.JSON
        import qualified GhcboxRuntime as Runtime

        -- | A MIME bundle: content by MIME type (text, base64 for binary images, JSON for JSON
        -- types) and metadata. Every constructor below includes a text/plain fallback, for
        -- consoles and for `nbval`-style checks.
        data Bundle = Bundle { bundleData :: [(String, JSON)], bundleMetadata :: [(String, JSON)] }
          deriving (Eq, Show)

        -- | Both bundles' types; where both have one, the left one's.
        instance Semigroup Bundle where
          Bundle d1 m1 <> Bundle d2 m2 = Bundle (nubBy ((==) `on` fst) (d1 ++ d2)) (nubBy ((==) `on` fst) (m1 ++ m2))

        instance Monoid Bundle where
          mempty = Bundle [] []

        -- | Any MIME type with its content.
        mime :: String -> JSON -> Bundle
        mime kind content = Bundle [(kind, content)] []

        plain :: String -> Bundle
        plain = mime "text/plain" . JString

        -- | Replaces the text/plain fallback.
        withPlain :: String -> Bundle -> Bundle
        withPlain text b = plain text <> b

        textual :: String -> String -> Bundle
        textual kind text = mime kind (JString text) <> plain text

        html, markdown, latex :: String -> Bundle
        html = textual "text/html"
        markdown = textual "text/markdown"
        -- | LaTeX, with its math delimiters (@$x^2$@ or @$$\\sum_i x_i$$@).
        latex = textual "text/latex"

        svg :: String -> Bundle
        svg text = mime "image/svg+xml" (JString text) <> plain "<svg image>"

        -- | PNG or JPEG file contents.
        png, jpeg :: B.ByteString -> Bundle
        png bytes = image "image/png" bytes
        jpeg bytes = image "image/jpeg" bytes

        image :: String -> B.ByteString -> Bundle
        image kind bytes = mime kind (JString (toBase64 bytes)) <> plain ("<" ++ kind ++ ", " ++ show (B.length bytes) ++ " bytes>")

        json :: JSON -> Bundle
        json value = mime "application/json" value <> plain (encodeJSON value)

        -- | A Vega-Lite (v5) specification, which JupyterLab draws as a chart.
        vegaLite :: JSON -> Bundle
        vegaLite spec = mime "application/vnd.vegalite.v5+json" spec <> plain "<Vega-Lite chart>"

        -- | The bundle's data and metadata as Jupyter carries them.
        bundleJSON :: Bundle -> (JSON, JSON)
        bundleJSON (Bundle d m) = (JObject d, JObject m)

        -- | Types with a rich display. Rendering may do IO (a chart library drawing to a file).
        class Display a where
          toBundle :: a -> IO Bundle

        instance {-# INCOHERENT #-} Show a => Display a where
          toBundle = pure . plain . show

        instance {-# OVERLAPPING #-} Display Bundle where
          toBundle = pure

        -- | Shows a value as a display of its own.
        display :: Display a => a -> IO ()
        display x = toBundle x >>= send "display_data" []

        -- | Names a display so that later output can replace it.
        newtype DisplayId = DisplayId String deriving (Eq, Show)

        -- | A fresh display id.
        newDisplayId :: IO DisplayId
        newDisplayId = DisplayId <$> Runtime.randomHex 16

        displayWithId :: Display a => DisplayId -> a -> IO ()
        displayWithId (DisplayId i) x = toBundle x >>= send "display_data" [("display_id", JString i)]

        -- | Replaces every output shown with this id, in any cell.
        updateDisplay :: Display a => DisplayId -> a -> IO ()
        updateDisplay (DisplayId i) x = toBundle x >>= send "update_display_data" [("display_id", JString i)]

        -- | Clears the cell's output; with @True@, only when the next output arrives (no flicker).
        clearOutput :: Bool -> IO ()
        clearOutput wait = Runtime.sendMessage (encodeJSON (message "clear_output" [("wait", JBool wait)]))

        send :: String -> [(String, JSON)] -> Bundle -> IO ()
        send kind transient b = Runtime.sendMessage (encodeJSON (message kind (content b ++ [("transient", JObject transient)])))

        content :: Bundle -> [(String, JSON)]
        content b = let (d, m) = bundleJSON b in [("data", d), ("metadata", m)]

        message :: String -> [(String, JSON)] -> JSON
        message kind body = JObject [("msg_type", JString kind), ("content", JObject body)]

        -- | GHCi's printer for a cell's value: its bundle as the cell's result.
        printResult :: Display a => a -> IO ()
        printResult x = do
          b <- toBundle x
          case bundleData b of
            [("text/plain", JString text)] | null (bundleMetadata b) -> Runtime.printText text
            _ -> Runtime.sendMessage (encodeJSON (message "execute_result" (content b)))
        """#
}
