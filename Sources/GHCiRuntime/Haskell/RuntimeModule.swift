/// The Haskell side of the runtime: the module every session's GHCi loads, compiled once
/// per GHC into the runtime package (`RuntimePackage`). Compiled, it loads in a few
/// milliseconds; the same definitions typed into GHCi at every boot took about 230 ms
/// of a 480 ms session start to compile.
///
/// Commands do not come from GHCi's stdin: `:cmd` runs `next`, which reads the next
/// batch from the command pipe and returns it, followed by the step macro (print the
/// done frame, then `next` again), so GHCi queues it and never reads stdin itself. The
/// pipe arrives as descriptor 3; `start` moves it to a close-on-exec descriptor above 9
/// and closes 3, so no process a cell starts inherits it and descriptor 3 is not it.
/// That leaves stdin to the cell: its Handle is swapped for a device that first asks
/// the kernel (an input frame on stdout, an answer line on the command pipe), which is
/// how `getLine` becomes a Jupyter `input_request`. Expression values go through the
/// display module's printer (`DisplayModule`), which frames them as text or, for a value
/// with a rich display, as a message: displays and comm messages travel as one line of
/// JSON between message frames, bounded by the session's output budget. Done, input and
/// message frames go to copies of stdout and stderr made at start: a cell that points its
/// streams elsewhere still ends, and its displays still arrive.
///
/// GHCi's own reports (compile errors and warnings, uncaught exceptions, `Interrupted.`,
/// errors without a location) are told from the cell's output by who writes them, not
/// by their text. stdout and stderr get a device (`Stream`) that asks, for every write,
/// whether it comes from GHCi itself: GHCi runs a statement inside base's `evalWrapper`,
/// which sets the program name to GHCi's `prog` setting, and writes its reports outside
/// it, from its main thread, under its own name. `next` records that name and thread.
/// GHCi's writes leave as report frames, one per line, through the runtime's copies
/// (so they arrive even when a cell has redirected its streams); everything else is the
/// cell's and passes unchanged. stderr is unbuffered, as in plain GHCi, so every byte is
/// attributed when it is written. Text is UTF-8 on every handle, whatever the locale.
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
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/RuntimeModule.swift); compiled into its runtime package.
        module GhcboxRuntime (start, next, step, printText, sendMessage, readIncoming, randomHex, swapStdin) where

        import Control.Concurrent (ThreadId, myThreadId)
        import Control.Concurrent.MVar (MVar, newMVar, swapMVar, takeMVar, withMVar)
        import Control.Exception
        import Control.Monad (unless, when)
        import Data.IORef
        import Data.List (foldl', isPrefixOf)
        import qualified Data.ByteString as B
        import Foreign.C.Types (CInt (..))
        import Numeric (showHex)
        import Foreign.StablePtr (newStablePtr)
        import Control.Applicative (liftA2)
        import Data.Int (Int64)
        import Data.Word (Word8)
        import GHC.Conc (getAllocationCounter, setAllocationCounter)
        import Foreign.Marshal.Array (pokeArray)
        import Foreign.Ptr (plusPtr)
        import GHC.IO.Buffer (Buffer (..), readCharBuf, withBuffer)
        import qualified GHC.IO.BufferedIO as Buffered
        import qualified GHC.IO.Device as Device
        import GHC.IO.Encoding (setFileSystemEncoding, setForeignEncoding, setLocaleEncoding)
        import GHC.IO.Encoding.Types (BufferCodec (..), CodingProgress (..), TextEncoding (..))
        import GHC.IO.FD (FD, mkFD)
        import GHC.IO.Handle.FD (fdToHandle)
        import GHC.IO.Handle.Internals (mkFileHandle)
        import GHC.IO.Handle.Types (Handle (FileHandle))
        import System.Environment (getProgName)
        import System.Exit (ExitCode (ExitFailure))
        import System.IO
        import System.IO.Unsafe (unsafePerformIO)
        import System.Posix.Files (deviceID, fileID, getFdStatus)
        import System.Posix.IO (dupTo)
        import System.Posix.Process (exitImmediately)
        import System.Posix.Types (Fd (..))
        import System.Posix.Signals

        foreign import ccall unsafe "fcntl" c_fcntl :: CInt -> CInt -> CInt -> IO CInt
        foreign import ccall unsafe "close" c_close :: CInt -> IO CInt

        -- The command pipe, the frame prefix, the step macro's name, the runtime's own copies of
        -- stdout and stderr, who GHCi is (its program name and main thread, recorded by `next`),
        -- and the two shared streams with the encoding that tells GHCi's writes apart.
        -- `messageLimit` bounds one message frame (the session's output budget).
        data Session = Session
          { commands :: Handle, prefix :: String, stepCommand :: String, out :: Handle, err :: Handle
          , ghciName :: String, ghciThread :: Maybe ThreadId, streams :: [(Handle, Stream)], messageLimit :: Int }

        session :: IORef Session
        session = unsafePerformIO (newIORef (Session stdin "" "" stdout stderr "" Nothing [] maxBound))
        {-# NOINLINE session #-}

        -- Message frames from several threads of a cell leave one at a time.
        messageLock :: MVar ()
        messageLock = unsafePerformIO (newMVar ())
        {-# NOINLINE messageLock #-}

        -- Once per GHCi: move the command pipe out of the cell's way, copy stdout and stderr, give
        -- both the attributing encoding, settle signals and buffering.
        start :: String -> String -> Int -> IO ()
        start framePrefix step' limit = do
          mapM_ ($ utf8) [setLocaleEncoding, setFileSystemEncoding, setForeignEncoding]
          (pipe, _) <- moveAside 3
          _ <- c_close 3
          outStream <- shareable 1
          errStream <- shareable 2
          hSetEncoding pipe utf8
          _ <- newStablePtr pipe
          let shared = [(stdout, outStream), (stderr, errStream)]
          mapM_ (\(h, stream) -> hSetEncoding h (attributing stream) >> hSetBuffering h LineBuffering) shared
          writeIORef session (Session pipe framePrefix step' (copy outStream) (copy errStream) "" Nothing shared limit)
          mapM_ (\signal -> installHandler signal Ignore Nothing) [sigTERM, sigHUP, sigQUIT]
          where
            shareable fd = do
              (h, moved) <- moveAside fd
              hSetEncoding h utf8
              _ <- newStablePtr h
              Stream fd h moved <$> newIORef False

        -- A close-on-exec copy of a descriptor, numbered above 9, as a Handle.
        moveAside :: CInt -> IO (Handle, CInt)
        moveAside fd = do
          moved <- c_fcntl fd 1030 10  -- F_DUPFD_CLOEXEC
          when (moved < 0) (ioError (userError ("cannot copy descriptor " ++ show fd)))
          h <- fdToHandle (fromIntegral moved)
          return (h, moved)

        -- stdout or stderr as GHCi and the cell share them: its descriptor, the runtime's copy
        -- of the same stream (and that copy's descriptor), and whether a span of GHCi's own
        -- output is open on it.
        data Stream = Stream { streamFD :: CInt, copy :: Handle, copyFD :: CInt, open :: IORef Bool }

        attributingName :: String
        attributingName = "UTF-8 (ghcbox)"

        -- UTF-8 that, as characters are written, puts GHCi's own between span frames (`{` and
        -- `}`) in the same byte stream, so they stay in order with the cell's output. Being an
        -- encoding and not a device, it leaves the handle's descriptor as it is, so a cell can
        -- still hDuplicateTo stdout or stderr.
        attributing :: Stream -> TextEncoding
        attributing s = case utf8 of
          TextEncoding {mkTextDecoder = decoder, mkTextEncoder = encoder} -> TextEncoding
            { textEncodingName = attributingName
            , mkTextDecoder = decoder
            , mkTextEncoder = do
              inner <- encoder
              let plain = encode inner
              return BufferCodec
                { encode = \from to -> do
                    ghci <- fromGHCi
                    isOpen <- readIORef (open s)
                    case (ghci, isOpen) of
                      (True, False) -> marking '{' True from to (ghciLine plain from)
                      (True, True) -> ghciLine plain from to
                      (False, True) -> marking '}' False from to (plain from)
                      (False, False) -> plain from to
                , recover = recover inner
                , close = close inner
                , getState = getState inner
                , setState = setState inner
                }
            }
          where
            -- Writes a span frame into the byte buffer and goes on; with no room, asks for a flush.
            marking mark state from to next' = do
              bytes <- spanFrame mark
              if bufSize to - bufR to < length bytes
                then return (OutputUnderflow, from, to)
                else putBytes bytes to >>= \to' -> writeIORef (open s) state >> next' to'
            -- GHCi's characters up to the end of their line, where the span closes. GHC starts
            -- every line with characters (a location or indentation), so what it writes with
            -- hPutBuf in mid-line stays inside, and a cell's binary output afterwards does not.
            ghciLine plain from to = do
              (end, newline) <- lineEnd from
              (progress, done, to') <- plain from { bufR = end } to
              let consumed = if bufL done == bufR done then end else bufL done
                  rest = if consumed == bufR from then from { bufL = 0, bufR = 0 } else from { bufL = consumed }
              bytes <- spanFrame '}'
              if newline && consumed == end && bufSize to' - bufR to' >= length bytes
                then putBytes bytes to' >>= \to'' -> writeIORef (open s) False >> return (progress, rest, to'')
                else return (progress, rest, to')

        -- Where the line that starts the buffer ends (after its newline), and whether it does.
        lineEnd :: Buffer Char -> IO (Int, Bool)
        lineEnd b = go (bufL b)
          where
            go i
              | i >= bufR b = return (bufR b, False)
              | otherwise = do
                  (c, j) <- readCharBuf (bufRaw b) i
                  if c == '\n' then return (j, True) else go j

        putBytes :: [Word8] -> Buffer Word8 -> IO (Buffer Word8)
        putBytes bytes b = do
          withBuffer b (\p -> pokeArray (p `plusPtr` bufR b) bytes)
          return b { bufR = bufR b + length bytes }

        spanFrame :: Char -> IO [Word8]
        spanFrame mark = do
          s <- readIORef session
          return (map (fromIntegral . fromEnum) (prefix s ++ [mark, '\n']))

        -- Characters come from GHCi itself when its main thread writes them outside a running
        -- statement. Before each batch `next` sets the thread's allocation counter to a mark far
        -- from anything GHCi sets; GHCi resets it when a statement starts (to measure what the
        -- statement allocates), and runs the statement inside base's evalWrapper, which sets
        -- the program name to GHCi's `prog` setting. So while the counter is still near the
        -- mark no statement has started (GHCi is compiling, or reporting a declaration's
        -- errors, which it does under the `prog` name too); once it is not, the program name
        -- tells whether the statement still runs or GHCi is reporting how it ended.
        fromGHCi :: IO Bool
        fromGHCi = do
          s <- readIORef session
          case ghciThread s of
            Just main -> do
              me <- myThreadId
              if me /= main then return False else do
                allocated <- getAllocationCounter
                if allocated <= batchMark && allocated > batchMark - 2 ^ (60 :: Int)
                  then return True
                  else (== ghciName s) <$> getProgName
            Nothing -> return False

        batchMark :: Int64
        batchMark = 2 ^ (62 :: Int)

        -- Ends a span GHCi left open (a line without its newline) before the chunk's done frame;
        -- the stream's own buffer is flushed by then, so the frame follows what it held.
        closeSpan :: Stream -> IO ()
        closeSpan s = do
          isOpen <- readIORef (open s)
          when isOpen $ do
            spanFrame '}' >>= \bytes -> frame (copy s) (map (toEnum . fromIntegral) bytes)
            writeIORef (open s) False

        -- A cell that set another encoding (hDuplicateTo also takes the other handle's) lost the
        -- attribution: the next chunk gets it back. Buffering a cell chose stays.
        reattach :: (Handle, Stream) -> IO ()
        reattach (h, s) = do
          current <- try (hGetEncoding h) :: IO (Either IOException (Maybe TextEncoding))
          case current of
            Right (Just enc) | textEncodingName enc == attributingName -> return ()
            Right _ -> ignoring (hSetEncoding h (attributing s))
            Left _ -> return ()

        -- At the start of a cell: a stream that an earlier cell pointed elsewhere is the notebook's
        -- again, so the new cell's output and GHCi's reports about it reach the kernel.
        restore :: (Handle, Stream) -> IO ()
        restore (h, s) = do
          same <- try (liftA2 (==) (identity (streamFD s)) (identity (copyFD s))) :: IO (Either IOException Bool)
          unless (same == Right True) $ do
            ignoring (hFlush h)
            ignoring (dupTo (Fd (copyFD s)) (Fd (streamFD s)) >> return ())
          reattach (h, s)
          where
            identity fd = (\st -> (deviceID st, fileID st)) <$> getFdStatus (Fd fd)

        ignoring :: IO () -> IO ()
        ignoring act = act `catch` \e -> const (return ()) (e :: IOException)

        -- The cell's handles may be closed: flushing them then is not the runtime's failure.
        flushCell :: IO ()
        flushCell = mapM_ (ignoring . hFlush) [stdout, stderr]

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

        -- The next batch, ending in the step macro with the batch's token. Runs as GHCi's
        -- macro, so it sees GHCi's own program name and main thread.
        next :: IO String
        next = mask_ (uninterruptibleMask_ (remember >> readIORef session >>= go []) <* settle)
          where
            remember = do
              name <- getProgName
              me <- myThreadId
              setAllocationCounter batchMark
              modifyIORef' session (\s -> s { ghciName = name, ghciThread = Just me })
            go acc s = do
              line <- catch (hGetLine (commands s)) gone
              let end = prefix s ++ "end:"
                  cellEnd = prefix s ++ "cell:"
              if end `isPrefixOf` line
                then return (batch acc s (drop (length end) line))
                else if cellEnd `isPrefixOf` line
                  then mapM_ restore (streams s) >> return (batch acc s (drop (length cellEnd) line))
                  else go (line : acc) s
            batch acc s token = unlines (reverse acc) ++ ":" ++ stepCommand s ++ " " ++ token

        -- The step macro: the done frame for a token, on both streams, then the next batch.
        step :: String -> IO String
        step token = mask_ (uninterruptibleMask_ done >> next)
          where
            done = do
              s <- readIORef session
              let line = prefix s ++ "done:" ++ token ++ "\n"
              flushCell
              mapM_ (\(h, shared) -> closeSpan shared >> reattach (h, shared)) (streams s)
              frame (out s) line
              frame (err s) line

        -- A value's text as a result frame. The text is written as it is made, so an endless
        -- value streams and one whose `show` throws halfway still shows what came before.
        printText :: String -> IO ()
        printText text = do
          s <- readIORef session
          hFlush stdout
          putStr (prefix s ++ "result{\n")
          putStr text
          putStr ("\n" ++ prefix s ++ "result}\n")
          hFlush stdout

        -- One message for the kernel (a display, a comm message), as one line of JSON between
        -- message frames on the runtime's copy of stdout, after what the cell printed so far.
        -- Past the session's budget it is refused here, with the sizes, before anything is sent.
        sendMessage :: String -> IO ()
        sendMessage json = do
          s <- readIORef session
          -- Every character is made before the first is sent: one that throws sends nothing.
          size <- evaluate (foldl' (\n c -> c `seq` n + 1) 0 json)
          when (size > messageLimit s) $ ioError (userError (
            "this output is " ++ megabytes size ++ ", over the session's output budget of "
            ++ megabytes (messageLimit s) ++ " (GHCBOX_OUTPUT_MB)"))
          withMVar messageLock $ \_ -> do
            flushCell
            frame (out s) (prefix s ++ "message{\n" ++ json ++ "\n" ++ prefix s ++ "message}\n")
          where megabytes n = show ((n + 1048575) `div` 1048576) ++ " MB"

        -- | Random hex digits (two per byte) for ids that must not repeat across kernels: display
        -- ids and comm ids, which a frontend keeps while kernels come and go.
        randomHex :: Int -> IO String
        randomHex n = do
          bytes <- withBinaryFile "/dev/urandom" ReadMode (\h -> B.hGet h n)
          when (B.length bytes /= n) (ioError (userError "/dev/urandom gave too few bytes"))
          return (concatMap (\b -> (if b < 16 then ('0' :) else id) (showHex b "")) (B.unpack bytes))

        -- The line the kernel sent after the running chunk (a comm message for the cell's handlers).
        readIncoming :: IO String
        readIncoming = readIORef session >>= hGetLine . commands

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
          h <- mkFileHandle (Stdin fd) "<stdin>" ReadMode (Just utf8) noNewlineTranslation
          case (h, stdin) of
            (FileHandle _ new, FileHandle _ old) -> do
              fresh <- takeMVar new
              _ <- newStablePtr h
              _ <- swapMVar old fresh
              return ()
            _ -> return ()
        """#
}
