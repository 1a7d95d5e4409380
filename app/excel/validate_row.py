"""Deciding one plan row: what would change, whether it is valid, and its status.

Validation runs before the "unchanged" decision with the services' own rule functions
(:mod:`app.services.rules`: required fields, unique values, the register's row checks) and
derivations (:func:`app.services.hooks.derive`: the ID-number/birth-date warnings), applied
to the in-memory :class:`~app.excel.dbstate.DbState` so a 50,000-row plan does not query
per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import is_
from typing import TYPE_CHECKING

from ..core.validators import clean_text
from ..registry import base as k
from ..registry.display import format_value
from ..services import hooks, rules
from .columns import UUID_KEY, canon, db_fingerprint, fast_clean, fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from .plan import PlanRow, SheetInput, _Planner

_NEW_PERSON = object()


@dataclass
class Change:
    """One cell of a plan row, before → after, as shown (re-exported by :mod:`plan`)."""

    key: str
    label: str
    before: str
    after: str


def _blank(value: object) -> bool:
    return value is None or value == ""


def _same_text(new: object, cur: object) -> bool:
    """Text that differs only by what normalising changes (full-width punctuation, spaces)
    is the same: a value stored before normalising must not show as edited."""
    return isinstance(new, str) and isinstance(cur, str) and new == fast_clean(cur)


def check_row(pl: "_Planner", pr: "PlanRow", s: "SheetInput", vals: dict, values: dict,
              persons: dict[str, dict], existing: dict | None) -> None:
    reg, policy = pl.reg, pl.policy
    warnings: list[str] = []
    if (pl._last_plan if s is pl._last_sheet else pl._compiled(s)).steps:
        _step_warnings(pl, pr, s, vals, existing, warnings)
    new_person_vias = {op.via for op in pr.persons if op.person_id is None}
    if existing is None:
        # A copy in C when no cell is blank (the usual row), else without the blanks.
        write = {fk: v for fk, v in values.items() if v is not None} \
            if None in values.values() else dict(values)
        for op in pr.persons:
            if op.person_id is not None:
                write[op.via] = op.person_id
        merged = dict(pl.defaults)
        merged.update(write)
        for via in new_person_vias:
            merged[via] = _NEW_PERSON
        changed = write
    else:
        changed = {}
        for fk, v in values.items():
            cur = existing.get(fk)
            if v is None:
                if policy.blank == "keep" or cur is None or fk in pl.groups:
                    continue
                changed[fk] = None
            elif policy.on_match == "fill" and not _blank(cur):
                continue
            elif v != cur and canon(v) != canon(cur) and not _same_text(v, cur):
                changed[fk] = v
        for op in pr.persons:
            if op.person_id is None:
                changed[op.via] = _NEW_PERSON
            elif op.person_id != existing.get(op.via):
                changed[op.via] = op.person_id
        merged = dict(zip(pl.field_keys, map(existing.get, pl.field_keys)))
        merged.update(changed)
    person_changes = _person_ops(pl, pr, s, persons, warnings)
    _validate(pl, pr, s, merged, changed, existing)
    if pr.status == "invalid":
        return
    # Derived values and the ID-number warnings (no write: copies).
    if pl.derives:
        clean = _without_new(changed, new_person_vias)
        m2 = dict(merged)
        for via in new_person_vias:
            if m2.get(via) is _NEW_PERSON:
                m2[via] = None
        for issue in hooks.derive(pl.lookups, reg, m2, clean, existing):
            warnings.append(pl._where(pr, pl.col_index(s, issue.field), s,
                                      f"{issue.message}（提示，不影响导入）"))
    for fk, msg in rules.month_only(reg, changed):
        warnings.append(pl._where(pr, pl.col_index(s, fk), s, f"{msg}（提示，不影响导入）"))
    # Values to write and the changes to show.
    pr.values = _without_new(changed, new_person_vias)
    for op in pr.persons:
        keys = pl.lookup_keys[op.via]
        # (column key, value) pairs made and stored in C: seven or so per new person.
        if op.create is not None:
            pr.values.update(zip(map(keys.__getitem__, op.create), op.create.values()))
        if op.update:
            pr.values.update(zip(map(keys.__getitem__, op.update), op.update.values()))

    # What the texts need of the stored row, and no more: the plan must not keep every
    # stored row alive until the preview is closed.
    stored = None if existing is None else {
        key: existing.get(key) for fk in changed for key in (fk, f"{fk}__title")}
    # The texts are made when first asked for (the preview shows a few rows at a time);
    # whether there are any is known now: a changed column, or a person's.  What they need
    # is kept small: a new row's changed values are its values to write (the same objects),
    # so only their keys are kept — a 100,000-row file must not hold every row twice.
    keep = changed
    if existing is None:
        pv = pr.values
        if all(map(is_, map(pv.get, changed), changed.values())):
            keep = tuple(changed)
    pr._make_changes = partial(_row_changes, pl, pr, keep, stored,
                               tuple(person_changes) if person_changes else None)
    cols = pl.cols
    has_changes = bool(person_changes) or any(fk in cols for fk in changed) or \
        pr.step_to is not None
    pr.messages += warnings
    _decide(pl, pr, s, vals, existing, has_changes)


def _row_changes(pl: "_Planner", pr: "PlanRow", changed: dict | tuple,
                 stored: dict | None, person_changes: tuple | None) -> list:
    """The before → after texts of a planned row: its own changed columns (``changed`` is
    the changed values, or for a new row the keys of its values that changed), a step it
    arrives at, and its people's columns (a :class:`Change` of a linked person, or a
    :class:`PersonOp` of a person to be created)."""
    if type(changed) is tuple:
        get = pr.values.get
        items = [(fk, get(fk)) for fk in changed]
    else:
        items = changed.items()
    out = []
    vals = pr.cells
    for fk, v in items:
        col = pl.cols.get(fk)
        if col is None:
            continue
        before = _text(pl, col, stored, fk) if stored is not None else ""
        after = "（新登记人员）" if v is _NEW_PERSON else _after_text(pl, col, vals, fk, v)
        out.append(Change(fk, col.label, before, after))
    out += pr.changes_extra
    for c in person_changes or ():
        if isinstance(c, Change):
            out.append(c)
        else:  # a person to be created: each of the group's columns the file filled
            create = c.create
            out += [Change(col.key, col.label, "", format_value(col.kind, create[col.target.key]))
                    for col in pl.groups[c.via] if col.target.key in create]
    return out


def _without_new(changed: dict, new_person_vias: set[str]) -> dict:
    """``changed`` less the people still to be created: a copy in C, then the few keys
    that can hold the marker (only a new person's ``via`` ever does)."""
    out = dict(changed)
    for via in new_person_vias:
        if out.get(via) is _NEW_PERSON:
            del out[via]
    return out


def _text(pl: "_Planner", col, row: dict, fk: str) -> str:
    if col.kind == k.REF:
        return row.get(f"{fk}__title") or ""
    return format_value(col.kind, row.get(fk))


def _after_text(pl: "_Planner", col, vals: dict, fk: str, v: object) -> str:
    if col.kind == k.REF:
        return vals.get(fk) or pl.change_text(col, v)
    return format_value(col.kind, v)


def _step_warnings(pl, pr, s, vals, existing, warnings) -> None:
    """A record arrives in its real state: a valid later step in the file (调解成功, 表彰,
    运营 …) is taken, to be recorded in the step history as 导入 (``pr.step_to``); a step
    that is not in the workflow, or that would go back, is left out with a warning."""
    wf = pl.reg.workflow
    for ck in pl._compiled(s).steps:
        col, v = pl.cols[ck], vals[ck]
        if v is None or wf is None:
            continue
        v = col.target.resolve_choice(v) or v if col.target is not None else v
        current = existing.get(ck) if existing is not None else wf.steps[0][0]
        if v == current:
            continue
        where = pl._where(pr, pl.col_index(s, ck), s, "")
        if v not in wf.all_steps:
            warnings.append(f"{where}“{v}”不是「{wf.label}」中的步骤，未导入"
                            f"（可选：{'、'.join(wf.all_steps)}）")
        elif current is not None and wf.position(v) <= wf.position(current):
            warnings.append(f"{where}“{v}”未导入：程序中已是“{current}”，步骤不能倒退")
        else:
            pr.step_to = (ck, v, _step_date(pl.reg, v, vals))
            pr.changes_extra = [*pr.changes_extra, Change(ck, col.label, current or "", v)]


def _step_date(reg, step: str, vals: dict):
    """The date a step was reached, from the file: its declared date column (结案日期 for a
    closed case), else the row's step date, else the record's start date."""
    field = dict(reg.step_dates).get(step)
    for key in (field, "step_date", hooks.START_FIELDS.get(reg.key)):
        if key and vals.get(key) is not None:
            return vals[key]
    return None


def _person_ops(pl: "_Planner", pr: "PlanRow", s: "SheetInput", persons: dict[str, dict],
                warnings: list[str]) -> list:
    """Fill ``op.update`` for linked people and check new people; returns the changes."""
    policy = pl.policy
    out = []
    people = None  # loaded for a linked person only
    for op in pr.persons:
        pv = persons.get(op.via, {})
        if op.person_id is None:
            first = pl.new_people.setdefault(op.token, pr)
            if first is not pr and first.status != "invalid":
                prev = next(o.create for o in first.persons if o.token == op.token)
                diff = [fk for fk, v in op.create.items() if prev.get(fk) not in (None, v)]
                if diff:
                    pr.fail(pl._where(pr, None, s, f"与第 {first.row} 行是同一位新人员，但"
                                      f"{'、'.join(diff)}填写不一致，请统一"))
            # Its texts are made when first asked for, like the changes of the row itself.
            out.append(op)
            # One copy serves as both "merged" and "clean": they start equal and derive
            # sets a key in both.
            probe = dict(op.create)
            for issue in hooks.derive(pl.lookups, pl.people_reg, probe, probe, None):
                warnings.append(pl._where(pr, None, s, f"{issue}（提示，不影响导入）"))
            for fk, msg in rules.month_only(pl.people_reg, probe):
                label = pl.people_reg.field(fk).label
                warnings.append(pl._where(pr, None, s, f"「{label}」{msg}（提示，不影响导入）"))
            continue
        if people is None:
            people = pl.state.people
        prow = people.by_id[op.person_id]
        if policy.on_match == "skip" and pr.record_id is not None:
            continue
        for c in pl.groups[op.via]:
            fk = c.target.key
            if fk not in pv:
                continue
            v, cur = pv[fk], prow.get(fk)
            if v is None:
                if policy.blank == "keep" or cur is None or fk == "name":
                    continue
            elif policy.on_match == "fill" and not _blank(cur):
                continue
            elif v == cur or canon(v) == canon(cur) or _same_text(v, cur):
                continue
            claim = pl.person_claims.setdefault((op.person_id, fk), (v, pr))
            if claim[1] is not pr and canon(claim[0]) != canon(v):
                pr.fail(pl._where(pr, pl.col_index(s, c.key), s,
                                  f"与第 {claim[1].row} 行对同一人员填写的值不一致"
                                  f"（“{format_value(c.kind, claim[0])}”）"))
                continue
            if fk == "id_number" and v in people.by_idn and people.by_idn[v] != op.person_id:
                pr.fail(pl._where(pr, pl.col_index(s, c.key), s,
                                  f"身份证号 {v} 已属于人员信息中的另一人"))
                continue
            op.update[fk] = v
            out.append(Change(c.key, c.label, format_value(c.kind, cur),
                              format_value(c.kind, v)))
        if op.update:
            merged = {**prow, **op.update}
            for issue in hooks.derive(pl.lookups, pl.people_reg, merged, dict(op.update),
                                      prow):
                warnings.append(pl._where(pr, None, s, f"{issue}（提示，不影响导入）"))
    return out


def _validate(pl: "_Planner", pr: "PlanRow", s: "SheetInput", merged: dict, changed: dict,
              existing: dict | None) -> None:
    reg = pl.reg
    rs = pl.state.register
    required = list(map(merged.get, pl.required_keys))
    # One test in C for the usual row with everything filled in (``in`` compares by identity,
    # then ``==``: what the loop below does), the loop only when something is missing.
    if None in required or "" in required:  # the usual row has everything: one test in C
        # A field whose cell (or person's cells) already has a message is not also "missing".
        explained = set(pr.bad) | {via for via, cols in pl.groups.items()
                                   if any(c.key in pr.bad for c in cols)}
        for f in rules.missing_required(reg, merged, explained):
            idx = pl.col_index(s, f.key)
            if idx is None and f.key in pl.groups:
                idx = pl.col_index(s, pl.groups[f.key][0].key)
            pr.fail(pl._where(pr, idx, s, f"「{f.label}」{rules.REQUIRED}"))
    for f in pl.unique:
        v = changed.get(f.key)
        if v is None or v is _NEW_PERSON:
            continue
        owner = rs.unique[f.key].get(v)
        if rules.unique_clash(owner, existing):
            gone = rs.by_id.get(owner, {}).get("deleted_at") is not None
            pr.fail(pl._where(pr, pl.col_index(s, f.key), s,
                              rules.unique_message(v, owner, None, gone)))
        else:
            pr.identity.append(("unique", f.label, v))
    if reg.validate:
        m2 = dict(merged)
        for via in pl.groups:  # a person still to be created counts as blank here
            if m2.get(via) is _NEW_PERSON:
                m2[via] = None
        for fk, msg in rules.row_issues(reg, m2):
            if fk not in pr.bad:
                pr.fail(pl._where(pr, pl.col_index(s, fk), s, msg))


def _decide(pl: "_Planner", pr: "PlanRow", s: "SheetInput", vals: dict,
            existing: dict | None, has_changes: bool) -> None:
    policy = pl.policy
    if existing is None:
        if policy.mode == "update":
            pr.status = "skipped"
            pr.messages.append(f"{pr.loc}：在程序中没有对应记录；本次只更新已有记录，未新增")
        else:
            pr.status = "new"
        return
    loc = f"{pr.loc}："  # made only when a message may need it
    if policy.mode == "insert":
        pr.status = "skipped"
        pr.messages.append(loc + f"已有此记录（编号 {existing['id']}）；本次只新增，未修改")
        return
    if policy.on_match == "skip":
        pr.status = "skipped"
        pr.messages.append(loc + f"已有此记录（编号 {existing['id']}），按设置跳过")
        return
    if not has_changes:
        # The file says what the database says: nothing to do, whoever changed what since.
        pr.status = "unchanged"
        return
    meta = s.meta
    if meta is not None and pr.uuid and pr.uuid in meta.fingerprints:
        exported = meta.fingerprints[pr.uuid]
        cols = [pl.cols[ck] for ck, _h in meta.columns if ck in pl.cols and ck != UUID_KEY]
        if db_fingerprint(cols, existing) != exported:
            in_file = fingerprint([_file_canon(c, vals) for c in cols])
            if in_file == exported:
                pr.status = "unchanged"
                pr.changes.clear()
                pr.values = {}
                pr.messages.append(loc + "导出后程序中已修改此记录，表中未改动：保留程序中的数据")
                return
            pr.status = "conflict"
            pr.messages.append(loc + "导出后程序中已修改此记录，表中也改了：为免覆盖，未导入。"
                               "请核对下列差异，在程序中修改，或重新导出后再改")
            return
    pr.status = "update"


def _file_canon(col, vals: dict) -> object:
    v = vals.get(col.key)
    if col.kind == k.REF and isinstance(v, str):
        return clean_text(v)
    return v
