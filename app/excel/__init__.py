"""Excel exchange with the district: export any register to a print-ready workbook, import
workbooks back (our own exports and the district's own layouts) through a plan that is shown
before anything is written, and undo an import exactly.

No Qt here: the GUI (``app.ui.import_wizard``) and the CLI (``app.excel.cli``) sit on top.

Pipeline of an import: :mod:`safety` (refuse hostile files) → :mod:`reader` (cells with true
Excel row numbers) → :mod:`layout` (header row, merged cells, footers) → :mod:`mapping`
(header → field, remembered) → :mod:`normalize` (cell → value) → :mod:`plan` (match, compare,
statuses) → :mod:`commit` (one transaction, a batch that can be undone).
"""

from .errors import FileRefused

__all__ = ["FileRefused"]
