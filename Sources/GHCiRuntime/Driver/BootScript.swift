/// The GHCi input that turns a plain `ghci -v0` (started with the runtime package,
/// `RuntimePackage`) into a session the runtime can drive; the Haskell side, and how
/// batches, done frames and stdin work, is in `RuntimeModule`.
///
/// The first boot goes to GHCi's stdin and ends in a `:cmd` that swaps stdin and reads
/// the first batch from the command pipe; from then on GHCi reads no more commands on
/// stdin. `:load` and friends clear the import, the macro and the printer, so those are
/// sent again after such directives.
struct BootScript {
    let tag: SessionTag
    /// The largest message (a display, a comm message) the runtime sends, in bytes.
    var messageLimit = 64 << 20
    /// The step macro's name, suffixed with part of the nonce so a cell's own macros cannot clash with it.
    /// A macro (`:def`) runs its compiled function, where `:cmd` would compile an expression for every batch.
    var stepCommand: String { "ghcboxstep\(tag.nonce.prefix(8))" }
    /// The last line of a batch, before the chunk's token.
    var endOfBatch: String { "\(tag.prefix)end:" }
    /// The last line of a cell's first batch: before it runs, the runtime gives stdout and
    /// stderr back to the notebook if an earlier cell pointed them elsewhere.
    var endOfFirstBatch: String { "\(tag.prefix)cell:" }

    /// What GHCi reads from stdin at start: the session's settings, `start`, then the first `:cmd`.
    var initialInput: String {
        """
        \(settings)
        \(SessionModule.name).start "\(tag.haskellPrefix)" "\(stepCommand)" \(messageLimit)
        :cmd (\(SessionModule.name).swapStdin Prelude.>> \(SessionModule.name).next)

        """
    }

    /// Made at boot and again after directives that reset the interactive context.
    private var settings: String {
        """
        import qualified \(SessionModule.name)
        :def! \(stepCommand) \(SessionModule.name).step
        :set -interactive-print=\(SessionModule.name).printResult
        :set -ferror-spans
        """
    }

    /// The first batch is empty: the `:cmd` that follows it prints the done marker, which says the boot has finished.
    func firstBatch(token: String) -> String { endOfBatch + token + "\n" }

    /// One batch for the command pipe: the chunk, then the end line with the chunk's token.
    /// `reboot` re-makes the definitions (after `:load`, `:module`, `:set` ...).
    func batch(for input: String, reboot: Bool, cellStart: Bool = false, token: String) -> String {
        var text = input + "\n"
        if reboot { text += settings + "\n\(SessionModule.name).swapStdin\n" }
        text += (cellStart ? endOfFirstBatch : endOfBatch) + token + "\n"
        return text
    }

    /// The frame that ends the chunk sent with `token`.
    static func doneFrame(token: String) -> String { "done:" + token }
}
