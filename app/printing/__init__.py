"""Printing: 花名册 (rosters) and 签到表 (sign-in sheets) on A4, as PDF or through Qt.

No Qt here (``app/ui/print_preview.py`` paints the same pages on a printer or in a preview).

- :mod:`.spec`     what a printout says, as plain data (:class:`~.spec.RosterSpec`)
- :mod:`.roster`   a roster from a register declaration and its rows
- :mod:`.signin`   the sign-in sheet of a 组织生活 meeting
- :mod:`.columns`  font size, orientation and column widths
- :mod:`.layout`   pages of draw operations (wrapping, pagination, 第 X 页 共 Y 页)
- :mod:`.pdf`      the PDF, with the bundled font embedded (:mod:`.fonts`)
- :mod:`.cli`      ``taizhang print …``; :mod:`.filters` parses its ``--filter``

>>> from app.printing.roster import roster_from_db          # doctest: +SKIP
>>> from app.printing.pdf import spec_to_pdf                 # doctest: +SKIP
>>> spec_to_pdf(roster_from_db(db, "party_members"), "党员花名册.pdf")  # doctest: +SKIP
"""
