/// `GHCbox.Display.Lucid`: lucid's `Html a` as HTML. The instance fixes the monad to
/// `Identity`, as lucid's own `Show` instance does, so `p_ "x" :: Html ()` and values
/// built in an undecided monad both show.
enum LucidDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/LucidDisplay.swift); compiled into its own package.
        {-# LANGUAGE TypeFamilies #-}
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | lucid's 'Html' as a cell result, shown as HTML.
        module GHCbox.Display.Lucid () where

        import Data.Functor.Identity (Identity)
        import qualified Data.Text.Lazy as TL
        import Lucid (HtmlT, renderText)
        import GHCbox.Display

        instance m ~ Identity => Display (HtmlT m a) where
          toBundle = pure . html . TL.unpack . renderText
        """#
}
