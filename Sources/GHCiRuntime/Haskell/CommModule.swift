/// `GHCbox.Comm`: Jupyter comms from Haskell. A cell opens comms and sends on them (frames
/// to the kernel, which publishes them on iopub); messages from the frontend reach the
/// handlers a cell registered when the kernel runs `deliver` with the message waiting on
/// the command pipe, one line of JSON. The kernel does that between cells, in order with
/// them, so a handler runs like a small cell: what it prints goes to the message's sender.
enum CommModule {
    static let name = "GHCbox.Comm"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/CommModule.swift); compiled into its runtime package.
        {-# LANGUAGE ScopedTypeVariables #-}
        -- | Jupyter comms: open one to a frontend target, send and receive messages with their
        -- binary buffers, register targets the frontend opens comms to.
        module GHCbox.Comm
          ( Comm, commId, commTarget
          , openComm, openCommWith, sendComm, sendCommWith, closeComm
          , onMessage, onClose, registerTarget
          , deliver
          ) where

        import Control.Exception (SomeAsyncException, SomeException, displayException, fromException, throwIO, try)
        import Control.Monad (forM_)
        import qualified Data.ByteString as B
        import Data.IORef
        import qualified Data.Map.Strict as Map
        import System.IO (hPutStrLn, stderr)
        import System.IO.Unsafe (unsafePerformIO)
        import GHCbox.JSON
        import qualified GhcboxRuntime as Runtime

        -- | One end of a comm.
        data Comm = Comm { commId :: String, commTarget :: String }
          deriving (Eq, Show)

        -- | What a handler gets: the message's data and its buffers.
        type Handler = JSON -> [B.ByteString] -> IO ()

        data Handlers = Handlers { messageHandler :: Handler, closeHandler :: JSON -> IO () }

        comms :: IORef (Map.Map String (Comm, Handlers))
        comms = unsafePerformIO (newIORef Map.empty)
        {-# NOINLINE comms #-}

        targets :: IORef (Map.Map String (Comm -> Handler))
        targets = unsafePerformIO (newIORef Map.empty)
        {-# NOINLINE targets #-}

        noHandlers :: Handlers
        noHandlers = Handlers (\_ _ -> pure ()) (\_ -> pure ())

        -- | Opens a comm to a frontend target with its first data.
        openComm :: String -> JSON -> IO Comm
        openComm target payload = openCommWith target payload (JObject []) []

        -- | 'openComm' with metadata and buffers.
        openCommWith :: String -> JSON -> JSON -> [B.ByteString] -> IO Comm
        openCommWith target payload metadata buffers = do
          i <- Runtime.randomHex 16
          let comm = Comm i target
          modifyIORef' comms (Map.insert i (comm, noHandlers))
          emit "comm_open" [("comm_id", JString i), ("target_name", JString target), ("data", payload)] metadata buffers
          pure comm

        sendComm :: Comm -> JSON -> IO ()
        sendComm comm payload = sendCommWith comm payload []

        sendCommWith :: Comm -> JSON -> [B.ByteString] -> IO ()
        sendCommWith comm payload = emit "comm_msg" [("comm_id", JString (commId comm)), ("data", payload)] (JObject [])

        closeComm :: Comm -> JSON -> IO ()
        closeComm comm payload = do
          modifyIORef' comms (Map.delete (commId comm))
          emit "comm_close" [("comm_id", JString (commId comm)), ("data", payload)] (JObject []) []

        -- | Runs for every message the frontend sends on the comm.
        onMessage :: Comm -> Handler -> IO ()
        onMessage comm h = modifyIORef' comms (Map.adjust (fmap (\hs -> hs { messageHandler = h })) (commId comm))

        -- | Runs when the frontend closes the comm.
        onClose :: Comm -> (JSON -> IO ()) -> IO ()
        onClose comm h = modifyIORef' comms (Map.adjust (fmap (\hs -> hs { closeHandler = h })) (commId comm))

        -- | Accepts comms the frontend opens to this target; the function gets each new comm
        -- with the opening message's data and buffers. Comms to other targets are closed.
        registerTarget :: String -> (Comm -> Handler) -> IO ()
        registerTarget name opened = modifyIORef' targets (Map.insert name opened)

        emit :: String -> [(String, JSON)] -> JSON -> [B.ByteString] -> IO ()
        emit kind body metadata buffers = Runtime.sendMessage (encodeJSON (JObject
          [ ("msg_type", JString kind), ("content", JObject body), ("metadata", metadata)
          , ("buffers", JArray (map (JString . toBase64) buffers)) ]))

        -- | Handles the frontend's message that the kernel sent after this command: one line,
        -- @{"msg_type": ..., "content": ..., "buffers": [base64...]}@. A handler that throws is
        -- reported on stderr; the session goes on.
        deliver :: IO ()
        deliver = do
          line <- Runtime.readIncoming
          case decodeJSON line of
            Nothing -> hPutStrLn stderr "GHCbox.Comm: the kernel sent a message that is not JSON"
            Just msg -> do
              let str key = case field key content of Just (JString s) -> s; _ -> ""
                  content = maybe (JObject []) id (field "content" msg)
                  payload = maybe (JObject []) id (field "data" content)
                  buffers = case field "buffers" msg of
                    Just (JArray bs) -> [b | JString s <- bs, Just b <- [fromBase64 s]]
                    _ -> []
                  i = str "comm_id"
              case field "msg_type" msg of
                Just (JString "comm_open") -> do
                  known <- Map.lookup (str "target_name") <$> readIORef targets
                  case known of
                    Nothing -> emit "comm_close" [("comm_id", JString i), ("data", JObject [])] (JObject []) []
                    Just opened -> do
                      let comm = Comm i (str "target_name")
                      modifyIORef' comms (Map.insert i (comm, noHandlers))
                      guarded i (opened comm payload buffers)
                Just (JString "comm_msg") -> do
                  entry <- Map.lookup i <$> readIORef comms
                  forM_ entry $ \(_, hs) -> guarded i (messageHandler hs payload buffers)
                Just (JString "comm_close") -> do
                  entry <- Map.lookup i <$> readIORef comms
                  modifyIORef' comms (Map.delete i)
                  forM_ entry $ \(_, hs) -> guarded i (closeHandler hs payload)
                _ -> pure ()
          where
            guarded i act = do
              r <- try act
              case r of
                -- An interrupt stops the handler as it stops a cell.
                Left e | Just (_ :: SomeAsyncException) <- fromException e -> throwIO e
                Left e -> hPutStrLn stderr ("GHCbox.Comm: the handler of comm " ++ i ++ " failed: " ++ displayException (e :: SomeException))
                Right () -> pure ()
        """#
}
