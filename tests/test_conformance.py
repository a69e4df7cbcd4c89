"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) against the installed ghcbox."""
import unittest

import jupyter_kernel_test

from conftest import KERNEL_NAME


class GhcboxConformance(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "haskell"
    file_extension = ".hs"

    code_hello_world = 'putStrLn "hello, world"'
    code_stderr = 'System.IO.hPutStrLn System.IO.stderr "oops"'

    completion_samples = [
        {"text": "mapM", "matches": {"mapM", "mapM_"}},
        {"text": "putStrL", "matches": {"putStrLn"}},
    ]

    complete_code_samples = ["1 + 1", "main = print 3", "f x = x * 2\nf 3", ""]
    incomplete_code_samples = ["f x = do", "xs = [1, 2,", "case x of", "g y =", "{- still open"]
    invalid_code_samples = ["1 + 2)", "foo ]", "-} x"]

    code_generate_error = "error \"boom\""

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "reverse \"ghcbox\"", "result": "\"xobchg\""},
        {"code": "Just (1 :: Int)", "result": "Just 1"},
    ]

    # The runtime's display module is in scope (qualified) in every session, as GHCi's printer uses it.
    code_display_data = [
        {"code": 'GHCbox.Display.display (GHCbox.Display.html "<b>bold</b>")', "mime": "text/html"},
        {"code": 'GHCbox.Display.display (GHCbox.Display.markdown "*emphasis*")', "mime": "text/markdown"},
        {"code": 'GHCbox.Display.display (GHCbox.Display.latex "$x^2$")', "mime": "text/latex"},
        {"code": 'GHCbox.Display.display (GHCbox.Display.svg "<svg xmlns=\'http://www.w3.org/2000/svg\'/>")',
         "mime": "image/svg+xml"},
        {"code": "GHCbox.Display.display (GHCbox.Display.png (Data.ByteString.pack [137, 80, 78, 71]))", "mime": "image/png"},
        {"code": "GHCbox.Display.display (GHCbox.Display.json (GHCbox.Display.JArray [GHCbox.Display.JNumber 1]))",
         "mime": "application/json"},
    ]
    code_clear_output = 'putStrLn "soon gone" >> GHCbox.Display.clearOutput False'

    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "foldr"


if __name__ == "__main__":
    unittest.main()
