/// `GHCbox.Display.Aeson`: aeson's `Value` as `application/json`. aeson's own encoder
/// writes the text (`JRaw`), so numbers and key order come out as aeson makes them.
enum AesonDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/AesonDisplay.swift); compiled into its own package.
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | aeson's 'Value' as a cell result, shown as JSON.
        module GHCbox.Display.Aeson () where

        import Data.Aeson (Value, encode)
        import qualified Data.Text.Lazy as TL
        import qualified Data.Text.Lazy.Encoding as TLE
        import GHCbox.Display

        instance Display Value where
          toBundle = pure . json . JRaw . TL.unpack . TLE.decodeUtf8 . encode
        """#
}
