/// The GHCi input that turns a plain `ghci -v0` into a session the runtime can drive.
///
/// Commands do not come from GHCi's stdin: `:cmd` runs `next`, which reads the
/// next batch from descriptor 3 (a private pipe) and returns it, followed by
/// the `:step` macro (print the done marker, then `next` again), so GHCi
/// queues it and never reads stdin itself. That
/// leaves stdin to the cell: its Handle is swapped for a device that first
/// asks the kernel (an input frame on stdout, an answer line on descriptor 3),
/// which is how `getLine` becomes a Jupyter `input_request`.
/// Expression values go through an interactive printer that frames them.
/// The first boot goes to GHCi's stdin; `:load` and friends clear these
/// bindings, so the same definitions are sent again after such directives.
/// When the command pipe closes (the kernel is gone), GHCi exits at once.
///
/// Each batch ends with a line naming a fresh random token for that chunk; `next`
/// passes it to the `:step` macro, which prints it in the done frame. The runtime's
/// bindings are in the cell's scope (`:show bindings` lists them), so a cell can call
/// the function that prints done frames; but the token of the running chunk exists
/// only in GHCi's own command queue, so such a frame names a wrong token and ends
/// nothing.
///
/// An interrupt meant for a chunk can reach GHCi after the chunk has ended, while
/// the macro prints the done marker or waits for the next batch; so can the
/// exception GHCi makes of a SIGTERM that a cell sent its own process group. GHCi
/// would abandon the macro there and go on reading commands from stdin (the
/// kernel then waited out the grace period, or GHCi exited). So the macro writes
/// and reads uninterruptibly, and before it returns it takes whatever was thrown
/// at it meanwhile (`allowInterrupt`) and drops it: nothing thrown between chunks
/// is meant for one. An interrupt during a chunk's compile or run is GHCi's as
/// before: it prints `Interrupted.` and runs the queued macro next.
///
/// GHCi turns SIGTERM and SIGHUP into an exception for its main thread, and SIGQUIT
/// into an interrupt. The kernel sends none of them (it interrupts with SIGINT and
/// ends GHCi by closing the command pipe or SIGKILL), so they are ignored: a cell
/// that sent SIGTERM to its own process group otherwise had it arrive, on a loaded
/// machine, in the next cell (`ghc: signal: 15`): 2 runs of 10 in a test under load.
struct BootScript {
    let tag: SessionTag
    /// Names are suffixed with part of the nonce so a cell cannot clash with them by accident.
    var suffix: String { String(tag.nonce.prefix(8)) }
    var nextName: String { "ghcboxNext_\(suffix)" }
    /// The done marker for a token, then the next batch.
    var stepName: String { "ghcboxStep_\(suffix)" }
    /// `step` as a GHCi macro (`:def`): a macro runs its compiled function, where `:cmd step`
    /// would compile an expression for every batch.
    var stepCommand: String { "ghcboxstep\(suffix)" }
    var printName: String { "ghcboxPrint_\(suffix)" }
    /// The last line of a batch, before the chunk's token.
    var endOfBatch: String { "\(tag.prefix)end:" }

    /// Definitions (re)made at boot and after directives that reset the interactive context.
    /// The declarations go in one `:{ :}` block: GHCi compiles it as one unit, which took
    /// 70 ms less of a 470 ms boot than a block per declaration.
    var definitions: String {
        let p = tag.haskellPrefix
        let s = suffix
        return """
        import qualified GHC.IO.Device as GhcboxDevice_\(s)
        import qualified GHC.IO.BufferedIO as GhcboxBuffered_\(s)
        ghcboxCommands_\(s) <- GHC.IO.Handle.FD.fdToHandle 3
        _ <- Foreign.StablePtr.newStablePtr ghcboxCommands_\(s)
        :{
        ghcboxGone_\(s) :: Control.Exception.IOException -> Prelude.IO Prelude.String
        ghcboxGone_\(s) _ = System.Posix.Process.exitImmediately (System.Exit.ExitFailure 3) Prelude.>> Prelude.return ""
        ghcboxSettle_\(s) :: Prelude.IO ()
        ghcboxSettle_\(s) = do
          r <- Control.Exception.try Control.Exception.allowInterrupt
          case r of
            Prelude.Left e -> Prelude.const ghcboxSettle_\(s) (e :: Control.Exception.SomeException)
            Prelude.Right () -> Prelude.return ()
        \(nextName) :: Prelude.IO Prelude.String
        \(nextName) = Control.Exception.mask_ (Control.Exception.uninterruptibleMask_ (go []) Prelude.<* ghcboxSettle_\(s)) where
          go acc = do
            l <- Control.Exception.catch (System.IO.hGetLine ghcboxCommands_\(s)) ghcboxGone_\(s)
            if "\(endOfBatchHaskell)" `Data.List.isPrefixOf` l
              then Prelude.return (Prelude.unlines (Prelude.reverse acc) Prelude.++ ":\(stepCommand) "
                     Prelude.++ Prelude.drop (Prelude.length "\(endOfBatchHaskell)") l)
              else go (l : acc)
        \(printName) :: Prelude.Show a => a -> Prelude.IO ()
        \(printName) x = do
          System.IO.hFlush System.IO.stdout
          System.IO.putStr "\(p)result{\\n"
          System.IO.putStr (Prelude.show x)
          System.IO.putStr "\\n\(p)result}\\n"
          System.IO.hFlush System.IO.stdout
        ghcboxDone_\(s) :: Prelude.String -> Prelude.IO ()
        ghcboxDone_\(s) token = do
          System.IO.hFlush System.IO.stdout
          System.IO.hFlush System.IO.stderr
          System.IO.putStr ("\(p)done:" Prelude.++ token Prelude.++ "\\n")
          System.IO.hPutStr System.IO.stderr ("\(p)done:" Prelude.++ token Prelude.++ "\\n")
          System.IO.hFlush System.IO.stdout
          System.IO.hFlush System.IO.stderr
        \(stepName) :: Prelude.String -> Prelude.IO Prelude.String
        \(stepName) token = Control.Exception.mask_ (Control.Exception.uninterruptibleMask_ (ghcboxDone_\(s) token) Prelude.>> \(nextName))
        ghcboxAsk_\(s) :: Prelude.IO ()
        ghcboxAsk_\(s) = do
          System.IO.hFlush System.IO.stdout
          System.IO.putStr "\(p)input\\n"
          System.IO.hFlush System.IO.stdout
          answer <- System.IO.hGetLine ghcboxCommands_\(s)
          Control.Monad.unless (answer Prelude.== "ok") (System.IO.Error.ioError (System.IO.Error.userError answer))
        newtype GhcboxStdin_\(s) = GhcboxStdin_\(s) GHC.IO.FD.FD
        instance GhcboxDevice_\(s).RawIO GhcboxStdin_\(s) where
          read (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).read fd
          readNonBlocking (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).readNonBlocking fd
          write (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).write fd
          writeNonBlocking (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).writeNonBlocking fd
        instance GhcboxDevice_\(s).IODevice GhcboxStdin_\(s) where
          ready (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).ready fd
          close (GhcboxStdin_\(s) fd) = GhcboxDevice_\(s).close fd
          devType _ = Prelude.return GhcboxDevice_\(s).Stream
        instance GhcboxBuffered_\(s).BufferedIO GhcboxStdin_\(s) where
          newBuffer (GhcboxStdin_\(s) fd) = GhcboxBuffered_\(s).newBuffer fd
          fillReadBuffer (GhcboxStdin_\(s) fd) b = ghcboxAsk_\(s) Prelude.>> GhcboxBuffered_\(s).fillReadBuffer fd b
          fillReadBuffer0 (GhcboxStdin_\(s) fd) b = ghcboxAsk_\(s) Prelude.>> GhcboxBuffered_\(s).fillReadBuffer0 fd b
          flushWriteBuffer (GhcboxStdin_\(s) fd) = GhcboxBuffered_\(s).flushWriteBuffer fd
          flushWriteBuffer0 (GhcboxStdin_\(s) fd) = GhcboxBuffered_\(s).flushWriteBuffer0 fd
        ghcboxSwapStdin_\(s) :: Prelude.IO ()
        ghcboxSwapStdin_\(s) = do
          (fd, _) <- GHC.IO.FD.mkFD 0 System.IO.ReadMode (Prelude.Just (GhcboxDevice_\(s).Stream, 0, 0)) Prelude.False Prelude.False
          h <- GHC.IO.Handle.Internals.mkFileHandle (GhcboxStdin_\(s) fd) "<stdin>" System.IO.ReadMode Prelude.Nothing GHC.IO.Handle.Types.noNewlineTranslation
          case (h, System.IO.stdin) of
            (GHC.IO.Handle.Types.FileHandle _ new, GHC.IO.Handle.Types.FileHandle _ old) -> do
              fresh <- Control.Concurrent.MVar.takeMVar new
              _ <- Foreign.StablePtr.newStablePtr h
              _ <- Control.Concurrent.MVar.swapMVar old fresh
              Prelude.return ()
            _ -> Prelude.return ()
        :}
        :def! \(stepCommand) \(stepName)
        :set -interactive-print=\(printName)
        :set -ferror-spans
        _ <- System.Posix.Signals.installHandler System.Posix.Signals.sigTERM System.Posix.Signals.Ignore Prelude.Nothing
        _ <- System.Posix.Signals.installHandler System.Posix.Signals.sigHUP System.Posix.Signals.Ignore Prelude.Nothing
        _ <- System.Posix.Signals.installHandler System.Posix.Signals.sigQUIT System.Posix.Signals.Ignore Prelude.Nothing
        System.IO.hSetBuffering System.IO.stdout System.IO.LineBuffering
        System.IO.hSetBuffering System.IO.stderr System.IO.LineBuffering
        """
    }

    private var endOfBatchHaskell: String { "\(tag.haskellPrefix)end:" }

    private var swapStdin: String { "ghcboxSwapStdin_\(suffix)" }

    /// What GHCi reads from stdin at start: the definitions, then the first `:cmd`.
    /// Stdin is swapped inside that `:cmd`: from then on GHCi reads no more commands there.
    var initialInput: String {
        definitions + "\n:cmd (\(swapStdin) Prelude.>> \(nextName))\n"
    }

    /// The first batch is empty: the `:cmd` that follows it prints the done marker, which says the boot has finished.
    func firstBatch(token: String) -> String { endOfBatch + token + "\n" }

    /// One batch for descriptor 3: the chunk, then the end line with the chunk's token.
    /// `reboot` re-makes the definitions (after `:load`, `:module`, `:set` ...).
    func batch(for input: String, reboot: Bool, token: String) -> String {
        var text = input + "\n"
        if reboot { text += definitions + "\n" + swapStdin + "\n" }
        text += endOfBatch + token + "\n"
        return text
    }

    /// The frame that ends the chunk sent with `token`.
    static func doneFrame(token: String) -> String { "done:" + token }
}
