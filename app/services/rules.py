"""The validation rules, once: the services apply them with a few queries per record, the
Excel import applies the same functions to 50,000 rows against what it loaded in memory.

Each rule returns data (the fields concerned, the owner of a clashing value …) and one
function writes its message, so a form and an import say the same thing.
"""

from __future__ import annotations

from ..core.validators import is_month_only
from ..registry import base as k
from ..registry.base import Field, Register
from .coerce import is_blank

REQUIRED = "必须填写"
STEP_BY_ADVANCE = "步骤只能通过“推进”按顺序改变"


def missing_required(reg: Register, merged: dict, skip: set[str] = frozenset()
                     ) -> list[Field]:
    """Required fields left blank (the workflow step is filled in by the services)."""
    return [f for f in reg.fields if f.required and f.kind != k.STEP and f.key not in skip
            and is_blank(merged.get(f.key))]


def step_changed(f: Field, existing: dict | None, value: object) -> bool:
    """Whether an edit tries to set a workflow step by hand (only ``advance`` may)."""
    return f.kind == k.STEP and existing is not None and value != existing.get(f.key)


def unique_clash(owner_id: int | None, existing: dict | None) -> bool:
    """Whether a unique value already belongs to another record than the one edited."""
    return owner_id is not None and (existing is None or owner_id != existing["id"])


def unique_message(value: object, owner_id: int, owner_title: str | None,
                   owner_deleted: bool) -> str:
    where = f"“{owner_title}”（编号 {owner_id}）" if owner_title else f"编号 {owner_id} 的记录"
    gone = "（该记录已删除，可在“显示已删除”中恢复）" if owner_deleted else ""
    return f"“{value}”已登记在{where}{gone}，请勿重复录入"


def month_only(reg: Register, values: dict) -> list[tuple[str, str]]:
    """Dates written with their month only (1998年7月): kept as the 1st of that month, and
    said — never silently the 1st.  [(field key, warning)]."""
    return [(f.key, f"只写到月（{values[f.key]:%Y年%m月}），按当月1日保存，请核对补全日期")
            for f in reg.fields if f.kind == k.DATE and is_month_only(values.get(f.key))]


def row_issues(reg: Register, merged: dict) -> list[tuple[str, str]]:
    """The register's own whole-row checks (dates in order …): [(field key, message)]."""
    return list(reg.validate(merged)) if reg.validate else []
