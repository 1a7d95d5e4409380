"""The Excel import wizard: file → sheet and header row → column mapping → policy → preview
of the plan → commit → report.

Everything slow (reading and checking the file, computing the plan, the commit) runs in the
background-task pool with a progress bar and a 取消 button; the worker never touches widgets.
Cancelling the commit rolls the one transaction back: nothing is written.  The mapping a user
edits is remembered by header text (``app.excel.mapping``) when leaving the mapping page.

One module a page: file_page (选择文件), layout_page (工作表和表头), mapping_page (列对应),
policy_page (导入方式), values_page (值对应), preview_page (预览, with ``FixRowDialog``),
report_page (导入); wizard holds ``ImportWizard``, cells the way a raw cell is shown.

Entry point: :func:`app.ui.excel_dialogs.run_import_wizard`.
"""

from __future__ import annotations

# The commit the report page runs, named here: the report page looks it up on this package
# when the commit starts, so replacing ``app.ui.import_wizard.commit_plan`` replaces it.
from ...excel.commit import commit_plan
from .cells import cell_text
from .file_page import FILE_FILTER, IMPORT_GUIDE, FilePage
from .layout_page import LayoutPage
from .mapping_page import MappingPage
from .policy_page import PolicyPage
from .preview_page import FixRowDialog, PreviewPage
from .report_page import ReportPage
from .values_page import ValuesPage
from .wizard import ImportWizard

__all__ = ["FILE_FILTER", "IMPORT_GUIDE", "FilePage", "FixRowDialog", "ImportWizard",
           "LayoutPage", "MappingPage", "PolicyPage", "PreviewPage", "ReportPage", "ValuesPage",
           "cell_text", "commit_plan"]
