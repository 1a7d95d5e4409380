"""A database whose table lost a UNIQUE constraint, holding a duplicate the services would
never write: the one way a restore can meet a live record with the same unique value.

Our schema reserves a unique value for deleted records too (the constraint covers every
row), so through the services a live duplicate of a deleted record cannot arise; a file
rebuilt by hand or by another tool can have one, and the restore's own check is what then
refuses.  Built with the sqlite3 module, outside the application (the 12-step table rebuild
of the SQLite documentation, "Making Other Kinds Of Table Schema Changes").
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path


def drop_unique_and_copy(path: Path | str, table: str, column: str, source_id: int,
                         target_id: int) -> None:
    """Remove ``UNIQUE (column)`` from ``table`` and give row ``target_id`` the value row
    ``source_id`` has.  The database must not be open for writing elsewhere."""
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("BEGIN")
        sql, = con.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?",
                           (table,)).fetchone()
        stripped = re.sub(rf",\s*CONSTRAINT \w+ UNIQUE \({column}\)", "", sql)
        assert stripped != sql, "no such UNIQUE constraint"
        indexes = [s for (s,) in con.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
            (table,))]
        con.execute(stripped.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_new", 1))
        con.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        for s in indexes:
            con.execute(s)
        con.execute(f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE id = ?)"
                    f" WHERE id = ?", (source_id, target_id))
        con.execute("COMMIT")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
