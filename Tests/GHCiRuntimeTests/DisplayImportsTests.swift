import Testing
@testable import GHCiRuntime

@Suite struct DisplayImportsTests {
    private let all = DisplayLibrary.all
    private func library(_ name: String) -> DisplayLibrary { DisplayLibrary.named(name)! }

    private func imports(_ cell: String, available: [DisplayLibrary]? = nil) -> [String] {
        CellSplitter.split(cell).flatMap { DisplayImports.lines(for: $0, available: available ?? all) }
    }

    @Test func aModuleOfTheLibraryOrUnderItCallsForItsInstances() {
        #expect(imports("import Graphics.Rendering.Chart.Easy") == ["import GHCbox.Display.Chart ()"])
        #expect(imports("import Graphics.Rendering.Chart") == ["import GHCbox.Display.Chart ()"])
        #expect(imports("import Diagrams.Prelude hiding (Result)") == ["import GHCbox.Display.Diagrams ()"])
        #expect(imports("import qualified Text.Blaze.Html5 as H") == ["import GHCbox.Display.Blaze ()"])
        #expect(imports("import Lucid") == ["import GHCbox.Display.Lucid ()"])
        #expect(imports("import Data.Aeson (Value, encode)") == ["import GHCbox.Display.Aeson ()"])
        #expect(imports("import Codec.Picture.Types") == ["import GHCbox.Display.JuicyPixels ()"])
    }

    @Test func importSyntaxAroundTheModuleNameIsSkipped() {
        #expect(imports("import qualified \"aeson\" Data.Aeson.Types as T") == ["import GHCbox.Display.Aeson ()"])
        #expect(imports("import {-# SOURCE #-} safe Lucid.Base") == ["import GHCbox.Display.Lucid ()"])
        #expect(imports("import Data.Aeson qualified as A") == ["import GHCbox.Display.Aeson ()"])
        #expect(imports("import Codec.Picture -- images") == ["import GHCbox.Display.JuicyPixels ()"])
        #expect(imports("import Data.Aeson\n  ( Value\n  , object )") == ["import GHCbox.Display.Aeson ()"])
    }

    @Test func aNameThatOnlyStartsLikeTheLibraryIsNotIt() {
        #expect(imports("import Data.AesonExtra") == [])
        #expect(imports("import LucidCharts") == [])
        #expect(imports("import Data.List") == [])
        #expect(imports("import Text.Blaze2") == [])
    }

    @Test func codeThatMentionsTheLibraryImportsNothing() {
        #expect(imports("Data.Aeson.encode (1 :: Int)") == [])
        #expect(imports("x = Lucid.p_ \"a\"") == [])
        #expect(imports("-- import Data.Aeson") == [])
    }

    @Test func theModuleDirectiveAddingAModuleCallsForItsInstances() {
        #expect(imports(":m + Data.Aeson Lucid") == ["import GHCbox.Display.Lucid ()", "import GHCbox.Display.Aeson ()"])
        #expect(imports(":module +*Codec.Picture") == ["import GHCbox.Display.JuicyPixels ()"])
        #expect(imports(":mod Diagrams.Prelude") == ["import GHCbox.Display.Diagrams ()"])
        #expect(imports(":m - Data.Aeson") == [])
        #expect(imports(":main Data.Aeson") == [])
        #expect(imports(":load Data/Aeson.hs") == [])
    }

    @Test func onlyLibrariesWithABuiltPackageAreImported() {
        #expect(imports("import Data.Aeson", available: [library("lucid")]) == [])
        #expect(imports("import Data.Aeson", available: []) == [])
        #expect(imports("import Data.Aeson", available: [library("aeson")]) == ["import GHCbox.Display.Aeson ()"])
    }

    @Test func theInstanceImportFollowsTheChunkInItsGHCiInput() throws {
        let one = try #require(CellSplitter.split("import Data.Aeson").first)
        #expect(ChunkInput.text(for: one, cell: 3, displays: all) == "import Data.Aeson\nimport GHCbox.Display.Aeson ()")
        #expect(ChunkInput.text(for: one, cell: 3) == "import Data.Aeson")
        // A wrapped chunk keeps its block whole; the import comes after it.
        let wrapped = try #require(CellSplitter.split("import Data.Aeson\n  ( Value )").first)
        let text = ChunkInput.text(for: wrapped, cell: 3, displays: all)
        #expect(text.hasPrefix(ChunkInput.text(for: wrapped, cell: 3) + "\n"))
        #expect(text.hasSuffix("\n:}\nimport GHCbox.Display.Aeson ()"))
        // Other chunks are unchanged.
        let expression = try #require(CellSplitter.split("1 + 1").first)
        #expect(ChunkInput.text(for: expression, cell: 3, displays: all) == "1 + 1")
    }

    @Test func everyLibraryHasItsOwnPackageAndModule() {
        #expect(Set(all.map(\.name)).count == all.count)
        #expect(Set(all.map(\.module)).count == all.count)
        for library in all {
            #expect(library.source.contains("module \(library.module) ()"))
            #expect(library.packages.contains("base"))
        }
    }
}
