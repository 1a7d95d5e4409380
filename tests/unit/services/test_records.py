"""Record services for every register: create, update, soft-delete, restore, list, search,
validation messages, workflow order and the audit trail."""

import datetime as dt
import json
import random

import pytest
import sqlalchemy as sa

from app.registry import REGISTERS, get
from app.registry import base as k
from app.services import records
from tests.data.ids import make_id
from app.storage.schema import TABLES, audit_log
from app.services.access import system

ACTOR = system("测试员")


def _new_id(rng: random.Random) -> str:
    return make_id(f"{rng.randint(1950, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}",
                   rng.randint(100, 999), "320106")


def minimal_values(conn, reg, rng) -> dict:
    """Values that satisfy a register's declaration, drawn from the demo database."""
    vals = {}
    people = [r[0] for r in conn.execute(sa.select(TABLES["people"].c.id).limit(50))]
    for i, f in enumerate(reg.fields):
        if f.kind == k.REF:
            if f.ref == "people":
                vals[f.key] = people[i % len(people)]
            else:
                vals[f.key] = conn.execute(sa.select(TABLES[f.ref].c.id).limit(1)).scalar()
        elif not f.required:
            continue
        elif f.kind in (k.TEXT, k.LONGTEXT):
            vals[f.key] = f"测试{f.label}{rng.randint(0, 10**9)}"
        elif f.kind == k.CHOICE:
            vals[f.key] = f.default or f.choices[0]
        elif f.kind == k.DATE:
            vals[f.key] = "2025-03-01"
        elif f.kind == k.DATETIME:
            vals[f.key] = "2025-03-01 09:30"
        elif f.kind == k.INT:
            vals[f.key] = 2025
        elif f.kind == k.ID_NUMBER:
            vals[f.key] = _new_id(rng)
    if reg.key == "honours":
        vals["nominee_kind"] = "个人"
    if reg.key == "needs":
        vals["status"] = "待对接"
    if reg.key == "conventions":
        vals["scope"] = "社区"
    if reg.key == "mediation_cases":
        vals["respondent_id"] = people[-1]
    return vals


def _editable_text_field(reg):
    for f in reg.fields:
        if f.kind in (k.TEXT, k.LONGTEXT) and not f.unique and f.key not in ("label", "address"):
            return f
    return None


@pytest.mark.parametrize("key", [r.key for r in REGISTERS])
def test_every_register_create_update_delete_restore(demo_db, key):
    reg = get(key)
    rng = random.Random(key)
    with demo_db.connect() as conn:
        vals = minimal_values(conn, reg, rng)
    before = records.count(demo_db, key)
    row = records.create(demo_db, key, vals, ACTOR)
    assert row["uuid"] and row["created_by"] == ACTOR.name
    assert records.count(demo_db, key) == before + 1
    if reg.workflow:
        assert row["step"] == reg.workflow.steps[0][0]
    f = _editable_text_field(reg)
    if f is not None:
        row = records.update(demo_db, key, row["id"], {f.key: "改过的内容"}, system("另一人"))
        assert row[f.key] == "改过的内容" and row["updated_by"] == "另一人"
        assert any(r[f.key] == "改过的内容" for r in records.list_rows(demo_db, key,
                                                                      search="改过的内容"))
    records.soft_delete(demo_db, key, row["id"], ACTOR, "录入错误")
    assert records.count(demo_db, key) == before
    assert records.get(demo_db, key, row["id"])["deleted_reason"] == "录入错误"
    assert row["id"] not in {r["id"] for r in records.list_rows(demo_db, key)}
    assert row["id"] in {r["id"] for r in records.list_rows(demo_db, key, include_deleted=True)}
    records.restore(demo_db, key, row["id"], ACTOR)
    assert records.count(demo_db, key) == before + 1
    with demo_db.connect() as conn:
        actions = [r.action for r in conn.execute(sa.select(audit_log.c.action).where(
            audit_log.c.register == key, audit_log.c.record_id == row["id"]))]
    assert actions[0] == "create" and actions[-2:] == ["delete", "restore"]


def test_required_and_bad_values_name_field_and_problem(db):
    with pytest.raises(records.ValidationError) as exc:
        records.create(db, "people", {"name": " ", "id_number": "110105194912310021",
                                      "phone": "12345", "gender": "未知"}, ACTOR)
    msgs = exc.value.by_field()
    assert msgs["name"] == ["必须填写"]
    assert "校验位" in msgs["id_number"][0]
    assert "手机号应为 11 位" in msgs["phone"][0]
    assert "不是可选值" in msgs["gender"][0]
    assert str(exc.value).startswith("「")
    assert records.count(db, "people") == 0


def test_duplicate_id_number_refused_and_names_existing(db):
    records.create(db, "people", {"name": "王五", "id_number": "11010519491231002X"}, ACTOR)
    with pytest.raises(records.ValidationError, match="已登记在“王五”"):
        records.create(db, "people", {"name": "王六", "id_number": "11010519491231002x"}, ACTOR)


def test_people_without_id_are_allowed_and_not_unique_clashes(db):
    records.create(db, "people", {"name": "无证一"}, ACTOR)
    records.create(db, "people", {"name": "无证二"}, ACTOR)
    assert records.count(db, "people") == 2


def test_birth_and_gender_derived_from_id_and_mismatch_warned(db):
    p = records.create(db, "people", {"name": "李四", "id_number": "11010519491231002X"}, ACTOR)
    assert p["birth_date"] == dt.date(1949, 12, 31) and p["gender"] == "女"
    with pytest.raises(records.ValidationError, match="与身份证号不一致"):
        records.update(db, "people", p["id"], {"birth_date": "1950-01-01"}, ACTOR,
                       accept_warnings=False)
    with db.connect() as conn:
        _, issues = records.validate(conn, "people", {"gender": "男"}, p)
    assert [i.level for i in issues] == ["warning"]


def test_cross_field_rule_of_party_member(demo_db):
    m = records.list_rows(demo_db, "party_members", limit=1)[0]
    with pytest.raises(records.ValidationError, match="转正日期不能早于入党日期"):
        records.update(demo_db, "party_members", m["id"],
                       {"joined_on": "2020-01-01", "confirmed_on": "2019-01-01",
                        "category": "正式党员"}, ACTOR)


def test_ref_to_missing_row_refused(db):
    with pytest.raises(records.ValidationError, match="不存在"):
        records.create(db, "compounds", {"name": "某小区", "community_id": 999}, ACTOR)


def test_workflow_steps_in_order_no_skipping(demo_db):
    com = records.list_rows(demo_db, "communities", limit=1)[0]
    item = records.create(demo_db, "consultations", {
        "title": "加装电梯", "community_id": com["id"], "raised_on": "2026-01-05"}, ACTOR)
    assert item["step"] == "征集议题" and item["step_date"] == dt.date(2026, 1, 5)
    with pytest.raises(records.WorkflowError, match="不能跳到"):
        records.advance(demo_db, "consultations", item["id"], "两委商议", ACTOR)
    with pytest.raises(records.WorkflowError, match="早于上一步"):
        records.advance(demo_db, "consultations", item["id"], "党组织提议", ACTOR,
                        dt.date(2026, 1, 1))
    item = records.advance(demo_db, "consultations", item["id"], "党组织提议", ACTOR,
                           dt.date(2026, 1, 10), "支委会提议")
    assert item["step"] == "党组织提议"
    hist = records.history(demo_db, "consultations", item["id"])
    assert [h["step"] for h in hist] == ["征集议题", "党组织提议"]
    assert hist[-1]["note"] == "支委会提议"
    with pytest.raises(records.ValidationError, match="推进"):
        records.update(demo_db, "consultations", item["id"], {"step": "决议公开"}, ACTOR)


def test_workflow_steps_come_from_data_not_code(demo_db):
    """Renaming a step in workflow_steps changes what advance accepts (四议两公开 is data)."""
    from app.storage.schema import workflow_steps as ws
    with demo_db.begin() as conn:
        conn.execute(ws.update().where(ws.c.workflow == "consultation",
                                       ws.c.name == "党组织提议").values(name="党支部提议"))
    com = records.list_rows(demo_db, "communities", limit=1)[0]
    item = records.create(demo_db, "consultations", {
        "title": "停车", "community_id": com["id"], "raised_on": "2026-01-05"}, ACTOR)
    assert records.next_steps(demo_db, "consultations", item["step"]) == ("党支部提议",)
    records.advance(demo_db, "consultations", item["id"], "党支部提议", ACTOR,
                    dt.date(2026, 1, 6))


def test_mediation_branches_close_the_case_and_numbers_per_year(demo_db):
    com = records.list_rows(demo_db, "communities", limit=1)[0]
    people = records.list_rows(demo_db, "people", limit=2)
    base = {"community_id": com["id"], "category": "邻里纠纷", "summary": "噪音",
            "applicant_id": people[0]["id"], "respondent_id": people[1]["id"]}
    a = records.create(demo_db, "mediation_cases", {**base, "received_on": "2031-02-01"}, ACTOR)
    b = records.create(demo_db, "mediation_cases", {**base, "received_on": "2031-03-01"}, ACTOR)
    assert (a["case_no"], b["case_no"]) == ("2031-0001", "2031-0002")
    records.advance(demo_db, "mediation_cases", a["id"], "调解中", ACTOR, dt.date(2031, 2, 2))
    assert records.next_steps(demo_db, "mediation_cases", "调解中") == (
        "调解成功", "调解不成功", "终止", "转办")
    done = records.advance(demo_db, "mediation_cases", a["id"], "转办", ACTOR,
                           dt.date(2031, 2, 20))
    assert done["closed_on"] == dt.date(2031, 2, 20)
    with pytest.raises(records.WorkflowError, match="最后一步"):
        records.advance(demo_db, "mediation_cases", a["id"], "调解成功", ACTOR)


def test_list_filters_search_community_and_dates(demo_db):
    coms = records.list_rows(demo_db, "communities")
    all_members = records.list_rows(demo_db, "party_members", reveal=True)
    per_com = [records.list_rows(demo_db, "party_members", community_id=c["id"]) for c in coms]
    assert sum(map(len, per_com)) == len(all_members) and all(per_com)
    one = all_members[0]
    found = records.list_rows(demo_db, "party_members", search=one["person_id_number"][-8:])
    assert one["id"] in {r["id"] for r in found}
    assert len(records.list_rows(demo_db, "party_members", search=one["person_name"])) < len(
        all_members)
    cases = records.list_rows(demo_db, "mediation_cases", date_field="received_on",
                              date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30))
    assert all(dt.date(2026, 6, 1) <= c["received_on"] <= dt.date(2026, 6, 30) for c in cases)
    zai = records.list_rows(demo_db, "party_members", filters={"status": "在册"})
    assert zai and all(r["status"] == "在册" for r in zai)


def test_audit_records_before_and_after(db):
    c = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, ACTOR)
    records.update(db, "communities", c["id"], {"address": "新地址"}, system("乙"))
    with db.connect() as conn:
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert last.actor == "乙" and last.action == "update"
    assert json.loads(last.changes) == {"address": [None, "新地址"]}


def test_unchanged_update_writes_nothing(db):
    c = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, ACTOR)
    records.update(db, "communities", c["id"], {"name": "甲社区"}, system("乙"))
    assert records.get(db, "communities", c["id"])["updated_by"] == ACTOR.name


def test_party_household_flag_follows_members(demo_db):
    p = next(r for r in records.list_rows(demo_db, "people") if r["household_id"]
             and not records.get(demo_db, "households", r["household_id"])["is_party_household"])
    org = records.list_rows(demo_db, "party_orgs", limit=1)[0]
    m = records.create(demo_db, "party_members", {"person_id": p["id"], "org_id": org["id"],
                                                  "joined_on": "2010-07-01"}, ACTOR)
    assert records.get(demo_db, "households", p["household_id"])["is_party_household"]
    records.update(demo_db, "party_members", m["id"], {"status": "去世",
                                                       "status_date": "2026-01-01"}, ACTOR)
    assert not records.get(demo_db, "households", p["household_id"])["is_party_household"]


def test_one_transaction_per_action_inside_callers_transaction(db):
    """With a Connection the caller's transaction decides: a rollback leaves nothing."""
    with pytest.raises(RuntimeError):
        with db.begin() as conn:
            records.create(conn, "communities", {"name": "乙社区", "community_type": "城市社区"},
                           ACTOR)
            raise RuntimeError("cancelled")
    assert records.count(db, "communities") == 0


@pytest.mark.parametrize("key, values, message", [
    ("projects", {"name": "改造", "status": "谋划", "start_on": "2026-05-01",
                  "end_on": "2026-04-01"}, "结束日期不能早于开始日期"),
    ("petitions", {"form": "来访", "matter": "噪音", "received_on": "2026-05-01",
                   "replied_on": "2026-04-30"}, "答复日期不能早于信访日期"),
])
def test_date_order_rules(demo_db, key, values, message):
    if key == "petitions":
        values["petitioner_id"] = records.list_rows(demo_db, "people", limit=1)[0]["id"]
    with pytest.raises(records.ValidationError, match=message):
        records.create(demo_db, key, values, ACTOR)
