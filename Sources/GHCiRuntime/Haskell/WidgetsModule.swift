/// `GHCbox.Widgets`: a small ipywidgets 8 binding over `GHCbox.Comm`. Each widget is a
/// model on the `jupyter.widget` target (model and view modules at version 2.0.0, the
/// output widget's at 1.0.0, protocol 2.1.0) with its layout and style models, as
/// ipywidgets' own Python side makes them; the frontend's `update` messages change the
/// kept state and run the callbacks.
enum WidgetsModule {
    static let name = "GHCbox.Widgets"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/WidgetsModule.swift); compiled into its runtime package.
        -- | Jupyter widgets (ipywidgets 8 in JupyterLab and Notebook 7): an integer slider, a
        -- button, a text box and an output area. Show one with 'display' or as a cell's value.
        --
        -- > s <- intSlider "n" (0, 10) 3
        -- > out <- outputWidget
        -- > onSliderChange s (\n -> clearOutputWidget out >> appendText out (show (n * n)))
        -- > display s >> display out
        module GHCbox.Widgets
          ( Widget, widgetComm
          , IntSlider, intSlider, sliderValue, setSliderValue, onSliderChange
          , Button, button, onClick
          , TextBox, textBox, textValue, setTextValue, onTextChange
          , OutputWidget, outputWidget, appendText, appendDisplay, clearOutputWidget
          , IsWidget (..), setDescription, closeWidget
            -- * Showing (from "GHCbox.Display", so a cell that imports only this module shows widgets)
          , display
          ) where

        import Control.Monad (forM_)
        import Data.IORef
        import GHCbox.Comm
        import GHCbox.Display

        -- | A widget's model: its comm, its state as the frontend knows it, and what runs when
        -- the frontend changes a property or sends an event.
        data Widget = Widget
          { widgetComm :: Comm
          , widgetState :: IORef [(String, JSON)]
          , changeHandlers :: IORef [String -> JSON -> IO ()]
          , eventHandlers :: IORef [JSON -> IO ()]
          }

        class IsWidget w where
          widget :: w -> Widget

        instance IsWidget Widget where
          widget = id

        newtype IntSlider = IntSlider Widget
        newtype Button = Button Widget
        newtype TextBox = TextBox Widget
        newtype OutputWidget = OutputWidget Widget

        instance IsWidget IntSlider where widget (IntSlider w) = w
        instance IsWidget Button where widget (Button w) = w
        instance IsWidget TextBox where widget (TextBox w) = w
        instance IsWidget OutputWidget where widget (OutputWidget w) = w

        instance Display Widget where toBundle = viewBundle "Widget"
        instance Display IntSlider where toBundle = viewBundle "IntSlider" . widget
        instance Display Button where toBundle = viewBundle "Button" . widget
        instance Display TextBox where toBundle = viewBundle "Text" . widget
        instance Display OutputWidget where toBundle = viewBundle "Output" . widget

        -- The view of a model, with the text a console shows instead.
        viewBundle :: String -> Widget -> IO Bundle
        viewBundle kind w = do
          state <- readIORef (widgetState w)
          let shown = [k ++ "=" ++ encodeJSON v | (k, v) <- state, k `elem` ["value", "description", "min", "max"]]
          pure (mime "application/vnd.jupyter.widget-view+json" (JObject
                  [ ("model_id", JString (commId (widgetComm w))), ("version_major", JNumber 2), ("version_minor", JNumber 0) ])
                <> plain (kind ++ "(" ++ commaSep shown ++ ")"))
          where commaSep = foldr1' (\a b -> a ++ ", " ++ b)
                foldr1' _ [] = ""
                foldr1' f xs = foldr1 f xs

        controls, base, output :: (String, String)
        controls = ("@jupyter-widgets/controls", "2.0.0")
        base = ("@jupyter-widgets/base", "2.0.0")
        output = ("@jupyter-widgets/output", "1.0.0")

        -- Opens a model: its name and module, its view's name and module, and its own state.
        model :: String -> (String, String) -> (String, (String, String)) -> [(String, JSON)] -> IO Widget
        model name (modName, modVersion) (view, (viewModule, viewVersion)) own = do
          let state = [ ("_model_name", JString name), ("_model_module", JString modName)
                      , ("_model_module_version", JString modVersion), ("_view_count", JNull)
                      , ("_view_name", JString view), ("_view_module", JString viewModule)
                      , ("_view_module_version", JString viewVersion) ] ++ own
          comm <- openCommWith "jupyter.widget" (JObject [("state", JObject state), ("buffer_paths", JArray [])])
                    (JObject [("version", JString "2.1.0")]) []
          w <- Widget comm <$> newIORef state <*> newIORef [] <*> newIORef []
          onMessage comm (\payload _ -> received w payload)
          pure w

        -- A DOM widget: a layout model and a style model of its own, then the widget.
        domWidget :: String -> (String, String) -> String -> String -> [(String, JSON)] -> IO Widget
        domWidget name modul view styleName own = do
          layout <- model "LayoutModel" base ("LayoutView", base) []
          style <- model styleName controls ("StyleView", base) [("description_width", JString "")]
          model name modul (view, modul)
            ([ ("_dom_classes", JArray []), ("layout", ref layout), ("style", ref style)
             , ("tabbable", JNull), ("tooltip", JNull) ] ++ own)
          where ref w = JString ("IPY_MODEL_" ++ commId (widgetComm w))

        received :: Widget -> JSON -> IO ()
        received w payload = case field "method" payload of
          Just (JString "update") | Just (JObject changes) <- field "state" payload -> do
            modifyIORef' (widgetState w) (merge changes)
            handlers <- readIORef (changeHandlers w)
            forM_ changes $ \(k, v) -> mapM_ (\h -> h k v) handlers
          Just (JString "request_state") -> do
            state <- readIORef (widgetState w)
            sendComm (widgetComm w) (update state)
          Just (JString "custom") -> do
            handlers <- readIORef (eventHandlers w)
            mapM_ ($ maybe JNull id (field "content" payload)) handlers
          _ -> pure ()

        -- The state with these properties changed.
        merge :: [(String, JSON)] -> [(String, JSON)] -> [(String, JSON)]
        merge changes state = changes ++ [kv | kv@(k, _) <- state, k `notElem` map fst changes]

        update :: [(String, JSON)] -> JSON
        update changes = JObject [("method", JString "update"), ("state", JObject changes), ("buffer_paths", JArray [])]

        -- Sets properties here and in the frontend.
        set :: IsWidget w => w -> [(String, JSON)] -> IO ()
        set x changes = do
          let w = widget x
          modifyIORef' (widgetState w) (merge changes)
          sendComm (widgetComm w) (update changes)

        property :: IsWidget w => w -> String -> IO (Maybe JSON)
        property x key = lookup key <$> readIORef (widgetState (widget x))

        onProperty :: IsWidget w => w -> String -> (JSON -> IO ()) -> IO ()
        onProperty x key h = modifyIORef' (changeHandlers (widget x)) (++ [\k v -> if k == key then h v else pure ()])

        setDescription :: IsWidget w => w -> String -> IO ()
        setDescription x text = set x [("description", JString text)]

        -- | Closes the widget's comm; its views go away.
        closeWidget :: IsWidget w => w -> IO ()
        closeWidget x = closeComm (widgetComm (widget x)) (JObject [])

        -- | A slider over whole numbers: description, (min, max), start value.
        intSlider :: String -> (Int, Int) -> Int -> IO IntSlider
        intSlider label (low, high) start = IntSlider <$> domWidget "IntSliderModel" controls "IntSliderView" "SliderStyleModel"
          [ ("description", JString label), ("description_allow_html", JBool False), ("min", number low), ("max", number high)
          , ("step", JNumber 1), ("value", number (max low (min high start))), ("orientation", JString "horizontal")
          , ("readout", JBool True), ("readout_format", JString "d"), ("continuous_update", JBool True)
          , ("disabled", JBool False), ("behavior", JString "drag-tap") ]

        sliderValue :: IntSlider -> IO Int
        sliderValue s = maybe 0 whole <$> property s "value"

        setSliderValue :: IntSlider -> Int -> IO ()
        setSliderValue s n = set s [("value", number n)]

        -- | Runs with the new value whenever the frontend moves the slider.
        onSliderChange :: IntSlider -> (Int -> IO ()) -> IO ()
        onSliderChange s h = onProperty s "value" (h . whole)

        whole :: JSON -> Int
        whole (JNumber n) = round n
        whole _ = 0

        button :: String -> IO Button
        button label = Button <$> domWidget "ButtonModel" controls "ButtonView" "ButtonStyleModel"
          [ ("description", JString label), ("button_style", JString ""), ("icon", JString ""), ("disabled", JBool False) ]

        -- | Runs on every click.
        onClick :: Button -> IO () -> IO ()
        onClick (Button w) act = modifyIORef' (eventHandlers w) (++ [\content -> case field "event" content of
          Just (JString "click") -> act
          _ -> pure ()])

        -- | A one-line text box: description, start text.
        textBox :: String -> String -> IO TextBox
        textBox label start = TextBox <$> domWidget "TextModel" controls "TextView" "TextStyleModel"
          [ ("description", JString label), ("description_allow_html", JBool False), ("value", JString start)
          , ("placeholder", JString ""), ("continuous_update", JBool True), ("disabled", JBool False) ]

        textValue :: TextBox -> IO String
        textValue t = maybe "" str <$> property t "value"

        setTextValue :: TextBox -> String -> IO ()
        setTextValue t text = set t [("value", JString text)]

        -- | Runs with the new text whenever the frontend changes it.
        onTextChange :: TextBox -> (String -> IO ()) -> IO ()
        onTextChange t h = onProperty t "value" (h . str)

        str :: JSON -> String
        str (JString s) = s
        str _ = ""

        -- | An area that shows outputs a cell or a callback appends.
        outputWidget :: IO OutputWidget
        outputWidget = do
          layout <- model "LayoutModel" base ("LayoutView", base) []
          OutputWidget <$> model "OutputModel" output ("OutputView", output)
            [ ("_dom_classes", JArray []), ("layout", JString ("IPY_MODEL_" ++ commId (widgetComm layout)))
            , ("msg_id", JString ""), ("outputs", JArray []), ("tabbable", JNull), ("tooltip", JNull) ]

        outputs :: OutputWidget -> IO [JSON]
        outputs o = (\v -> case v of Just (JArray xs) -> xs; _ -> []) <$> property o "outputs"

        -- | Appends text, as a cell's stdout.
        appendText :: OutputWidget -> String -> IO ()
        appendText o text = do
          old <- outputs o
          set o [("outputs", JArray (old ++ [JObject [("output_type", JString "stream"), ("name", JString "stdout"), ("text", JString text)]]))]

        -- | Appends any displayable value.
        appendDisplay :: Display a => OutputWidget -> a -> IO ()
        appendDisplay o x = do
          (d, m) <- bundleJSON <$> toBundle x
          old <- outputs o
          set o [("outputs", JArray (old ++ [JObject [("output_type", JString "display_data"), ("data", d), ("metadata", m)]]))]

        clearOutputWidget :: OutputWidget -> IO ()
        clearOutputWidget o = set o [("outputs", JArray [])]
        """#
}
