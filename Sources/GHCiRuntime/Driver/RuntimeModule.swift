/// The Haskell side of the runtime: the module every session's GHCi loads, compiled once
/// per GHC into the runtime package (`RuntimePackage`). Compiled, it loads in a few
/// milliseconds; the same definitions typed into GHCi at every boot took about 230 ms
/// of a 480 ms session start to compile.
///
/// Commands do not come from GHCi's stdin: `:cmd` runs `next`, which reads the next
/// batch from descriptor 3 (a private pipe) and returns it, followed by the step macro
/// (print the done frame, then `next` again), so GHCi queues it and never reads stdin
/// itself. That leaves stdin to the cell: its Handle is swapped for a device that first
/// asks the kernel (an input frame on stdout, an answer line on descriptor 3), which is
/// how `getLine` becomes a Jupyter `input_request`. Expression values go through
/// `printValue`, which frames them. Done and input frames go to copies of stdout and
/// stderr made at start: a cell that points its streams elsewhere still ends.
///
/// Each batch ends with a line naming a fresh random token for that chunk; `next` passes
/// it to the step macro, which prints it in the done frame. A cell can import this module
/// and print done frames itself, but the running chunk's token exists only in GHCi's own
/// command queue, so such a frame names a wrong token and ends nothing.
///
/// An interrupt meant for a chunk can reach GHCi after the chunk has ended, while the
/// macro prints the done frame or waits for the next batch; so can the exception GHCi
/// makes of a SIGTERM that a cell sent its own process group. GHCi would abandon the
/// macro there and go on reading commands from stdin. So the macro writes and reads
/// uninterruptibly, and before it returns it takes whatever was thrown at it meanwhile
/// (`allowInterrupt`) and drops it: nothing thrown between chunks is meant for one.
///
/// GHCi turns SIGTERM and SIGHUP into an exception for its main thread, and SIGQUIT into
/// an interrupt. The kernel sends none of them (it interrupts with SIGINT and ends GHCi by
/// closing the command pipe or SIGKILL), so `start` ignores them: a cell that sent SIGTERM
/// to its own process group otherwise had it arrive, on a loaded machine, in the next cell.
/// When the command pipe closes (the kernel is gone), GHCi exits at once.
enum RuntimeModule {
    static let name = "GhcboxRuntime"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Driver/RuntimeModule.swift); compiled into its runtime package.
        module GhcboxRuntime (start, next, step, printValue, swapStdin) where

        import Control.Concurrent.MVar (swapMVar, takeMVar)
        import Control.Exception
        import Control.Monad (unless)
        import Data.IORef
        import Data.List (isPrefixOf)
        import qualified GHC.IO.BufferedIO as Buffered
        import qualified GHC.IO.Device as Device
        import GHC.IO.FD (FD, mkFD)
        import GHC.IO.Handle (hDuplicate)
        import GHC.IO.Handle.FD (fdToHandle)
        import GHC.IO.Handle.Internals (mkFileHandle)
        import GHC.IO.Handle.Types (Handle (FileHandle), noNewlineTranslation)
        import Foreign.StablePtr (newStablePtr)
        import System.Exit (ExitCode (ExitFailure))
        import System.IO
        import System.IO.Unsafe (unsafePerformIO)
        import System.Posix.Process (exitImmediately)
        import System.Posix.Signals

        -- The command pipe, the frame prefix, the step macro's name, and the runtime's own
        -- copies of stdout and stderr.
        data Session = Session
          { commands :: Handle, prefix :: String, stepCommand :: String, out :: Handle, err :: Handle }

        session :: IORef Session
        session = unsafePerformIO (newIORef (Session stdin "" "" stdout stderr))
        {-# NOINLINE session #-}

        -- Once per GHCi: open the command pipe, copy stdout and stderr, settle signals and buffering.
        -- Done and input frames go to the copies, so a cell that redirects stdout or stderr
        -- (hDuplicateTo) still ends its chunk.
        start :: String -> String -> IO ()
        start framePrefix step = do
          hSetBuffering stdout LineBuffering
          hSetBuffering stderr LineBuffering
          pipe <- fdToHandle 3
          o <- hDuplicate stdout
          e <- hDuplicate stderr
          mapM_ newStablePtr [pipe, o, e]
          writeIORef session (Session pipe framePrefix step o e)
          mapM_ (\signal -> installHandler signal Ignore Nothing) [sigTERM, sigHUP, sigQUIT]

        -- The cell's handles may be closed: flushing them then is not the runtime's failure.
        flushCell :: IO ()
        flushCell = mapM_ (\h -> hFlush h `catch` \e -> const (return ()) (e :: IOException)) [stdout, stderr]

        frame :: Handle -> String -> IO ()
        frame h text = hPutStr h text >> hFlush h

        -- The kernel is gone: so is GHCi.
        gone :: IOException -> IO String
        gone _ = exitImmediately (ExitFailure 3) >> return ""

        -- Takes and drops what was thrown at GHCi while the macro ran.
        settle :: IO ()
        settle = do
          r <- try allowInterrupt
          case r of
            Left e -> const settle (e :: SomeException)
            Right () -> return ()

        -- The next batch, ending in the step macro with the batch's token.
        next :: IO String
        next = mask_ (uninterruptibleMask_ (readIORef session >>= go []) <* settle)
          where
            go acc s = do
              line <- catch (hGetLine (commands s)) gone
              let end = prefix s ++ "end:"
              if end `isPrefixOf` line
                then return (unlines (reverse acc) ++ ":" ++ stepCommand s ++ " " ++ drop (length end) line)
                else go (line : acc) s

        -- The step macro: the done frame for a token, on both streams, then the next batch.
        step :: String -> IO String
        step token = mask_ (uninterruptibleMask_ done >> next)
          where
            done = do
              s <- readIORef session
              let line = prefix s ++ "done:" ++ token ++ "\n"
              flushCell
              frame (out s) line
              frame (err s) line

        printValue :: Show a => a -> IO ()
        printValue x = do
          s <- readIORef session
          hFlush stdout
          putStr (prefix s ++ "result{\n")
          putStr (show x)
          putStr ("\n" ++ prefix s ++ "result}\n")
          hFlush stdout

        -- Before the cell's stdin gives bytes: an input frame, then the kernel's answer.
        ask :: IO ()
        ask = do
          s <- readIORef session
          flushCell
          frame (out s) (prefix s ++ "input\n")
          answer <- hGetLine (commands s)
          unless (answer == "ok") (ioError (userError answer))

        newtype Stdin = Stdin FD

        instance Device.RawIO Stdin where
          read (Stdin fd) = Device.read fd
          readNonBlocking (Stdin fd) = Device.readNonBlocking fd
          write (Stdin fd) = Device.write fd
          writeNonBlocking (Stdin fd) = Device.writeNonBlocking fd

        instance Device.IODevice Stdin where
          ready (Stdin fd) = Device.ready fd
          close (Stdin fd) = Device.close fd
          devType _ = return Device.Stream

        instance Buffered.BufferedIO Stdin where
          newBuffer (Stdin fd) = Buffered.newBuffer fd
          fillReadBuffer (Stdin fd) b = ask >> Buffered.fillReadBuffer fd b
          fillReadBuffer0 (Stdin fd) b = ask >> Buffered.fillReadBuffer0 fd b
          flushWriteBuffer (Stdin fd) = Buffered.flushWriteBuffer fd
          flushWriteBuffer0 (Stdin fd) = Buffered.flushWriteBuffer0 fd

        -- Gives stdin's Handle the asking device.
        swapStdin :: IO ()
        swapStdin = do
          (fd, _) <- mkFD 0 ReadMode (Just (Device.Stream, 0, 0)) False False
          h <- mkFileHandle (Stdin fd) "<stdin>" ReadMode Nothing noNewlineTranslation
          case (h, stdin) of
            (FileHandle _ new, FileHandle _ old) -> do
              fresh <- takeMVar new
              _ <- newStablePtr h
              _ <- swapMVar old fresh
              return ()
            _ -> return ()
        """#
}
