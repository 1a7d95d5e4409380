"""Entry point of the PyInstaller bundle (packaging/taizhang.spec): ``taizhang`` is the
command (``app.cli:main``); on Windows ``taizhang-gui.exe`` opens the window without a console
(``app.cli:gui_main``), as the wheel's two scripts do."""

import sys
from pathlib import Path

from app.cli import gui_main, main

if __name__ == "__main__":
    if Path(sys.executable).stem.lower().endswith("-gui"):
        raise SystemExit(gui_main())
    raise SystemExit(main())
