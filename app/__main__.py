"""``python -m app …`` behaves like ``taizhang …``."""

from .cli import main

raise SystemExit(main())
