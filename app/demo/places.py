"""Demo places and people: a street, its communities of both types, compounds (some 三无),
buildings, units, households and the residents with valid ID numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.validators import age_on
from ..registry.places import EDUCATIONS
from . import names as N


@dataclass
class World:
    """What the area builders need to know about the places and people made here."""

    communities: list[dict] = field(default_factory=list)   # id, name, type
    compounds: list[dict] = field(default_factory=list)     # id, name, community_id
    buildings: list[dict] = field(default_factory=list)     # id, compound_id, label
    people: list[dict] = field(default_factory=list)        # id, name, birth, community_id, household_id
    adults_by_community: dict[int, list[int]] = field(default_factory=dict)
    without_id: set[int] = field(default_factory=set)  # people registered with no ID number
    home: dict[int, tuple[int, int]] = field(default_factory=dict)  # household → (compound, building)
    births: dict[int, object] = field(default_factory=dict)  # person → birth date


def build(b) -> World:
    w = World()
    rng, s = b.rng, b.s
    [street_id] = b.insert("streets", [{"name": N.STREET_NAME, "district": N.DISTRICT,
                                        "phone": "010-6612" + f"{rng.randint(0, 9999):04d}"}])
    stems = rng.sample(N.COMMUNITY_STEMS, s.communities)
    rows = []
    for i, stem in enumerate(stems):
        ctype = "村改居社区" if i % 4 == 1 else "城市社区"
        rows.append({"name": f"{stem}社区", "street_id": street_id, "community_type": ctype,
                     "address": f"{N.DISTRICT}{stem}路{rng.randint(1, 200)}号",
                     "phone": "010-6" + f"{rng.randint(0, 9999999):07d}"})
    for cid, r in zip(b.insert("communities", rows), rows):
        w.communities.append({"id": cid, "name": r["name"], "type": r["community_type"]})

    rows = []
    used: set[str] = set()
    for i in range(s.compounds):
        com = w.communities[i % len(w.communities)]
        while True:
            nm = b.pick(N.COMPOUND_PREFIX) + b.pick(N.COMPOUND_STEMS)
            if nm not in used:
                used.add(nm)
                break
        three_none = rng.random() < 0.15
        has_prop = not three_none and rng.random() < 0.85
        sup = not three_none and rng.random() < 0.5
        rows.append({"name": nm, "community_id": com["id"], "address": f"{com['name'][:-2]}路"
                     f"{rng.randint(1, 300)}号", "has_property": has_prop,
                     "property_company": b.pick(N.PROPERTY_COMPANIES) if has_prop else None,
                     "has_owners_committee": not three_none and rng.random() < 0.4,
                     "has_supervisor": sup, "supervisor": "区住建局" if sup else None})
    for cid, r in zip(b.insert("compounds", rows), rows):
        w.compounds.append({"id": cid, "name": r["name"], "community_id": r["community_id"]})

    # Buildings, units and households, sized so that households ≈ people / 2.5.
    households_wanted = int(s.people / 2.5)
    per_compound = max(1, households_wanted // len(w.compounds))
    brows = []
    for cp in w.compounds:
        n_build = max(2, min(20, per_compound // 24))
        for bn in range(1, n_build + 1):
            brows.append({"name": f"{bn}", "compound_id": cp["id"], "floors": 6,
                          "label": f"{cp['name']}{bn}栋", "units_total": 2,
                          "building_head": b.name() if rng.random() < 0.6 else None})
    bids = b.insert("buildings", brows)
    comp_by_id = {c["id"]: c for c in w.compounds}
    for bid, r in zip(bids, brows):
        w.buildings.append({"id": bid, "compound_id": r["compound_id"], "label": r["label"]})
    urows = []
    for bd in w.buildings:
        for un in (1, 2):
            urows.append({"name": str(un), "building_id": bd["id"],
                          "label": f"{bd['label']}{un}单元"})
    uids = b.insert("units", urows)
    hrows = []
    units = list(zip(uids, urows))
    per_unit = max(1, households_wanted // len(units))
    for uid, u in units:
        bd = w.buildings[u["building_id"] - 1]
        cp = comp_by_id[bd["compound_id"]]
        for k in range(per_unit):
            room = f"{k // 2 + 1}0{k % 2 + 1}"
            hrows.append({"room": room, "unit_id": uid, "compound_id": cp["id"],
                          "community_id": cp["community_id"], "address": f"{u['label']}{room}",
                          "is_party_household": False})
    hids = b.insert("households", hrows)
    unit_building = {uid: u["building_id"] for uid, u in units}
    for hid, h in zip(hids, hrows):
        w.home[hid] = (h["compound_id"], unit_building[h["unit_id"]])
    households = list(zip(hids, hrows))

    # People: households filled in turn; ages mixed; about 1 in 40 without an ID number.
    prows = []
    region_of = {c["id"]: N.REGIONS[i % len(N.REGIONS)] for i, c in enumerate(w.communities)}
    for i in range(s.people):
        hid, h = households[i % len(households)]
        age = min(95, max(0, int(rng.gauss(45, 20))))
        birth = b.today.replace(year=b.today.year - age, day=1) - dt.timedelta(
            days=rng.randint(0, 360))
        male = rng.random() < 0.5
        idn = b.id_number(region_of[h["community_id"]], birth, male)
        tags = []
        if age >= 60:
            tags.append("老年人")
        if rng.random() < 0.06:
            tags.append("流动人口")
        if 14 <= age <= 25 and rng.random() < 0.05:
            tags.append("闲散青少年")
        if age < 14 and rng.random() < 0.05:
            tags.append("留守儿童")
        if rng.random() < 0.02:
            tags.append("残疾人")
        edu = EDUCATIONS[min(len(EDUCATIONS) - 1, max(0, int(rng.gauss(3, 1.5))))] \
            if age >= 18 else None
        prows.append({
            "name": b.name("男" if male else "女", birth), "gender": "男" if male else "女",
            "ethnicity": "汉族" if rng.random() < 0.93 else b.pick(("回族", "满族", "蒙古族")),
            "birth_date": birth, "id_number": idn if rng.random() > 0.025 or age < 16 else None,
            "phone": b.mobile() if age >= 16 else None, "education": edu,
            "community_id": h["community_id"], "household_id": hid,
            "tags": "、".join(t for t in ("流动人口", "闲散青少年", "留守儿童", "老年人", "残疾人")
                             if t in tags) or None})
    pids = b.insert("people", prows)
    for pid, p in zip(pids, prows):
        rec = {"id": pid, "name": p["name"], "birth": p["birth_date"], "gender": p["gender"],
               "community_id": p["community_id"], "household_id": p["household_id"]}
        w.people.append(rec)
        w.births[pid] = p["birth_date"]
        if p["id_number"] is None:
            w.without_id.add(pid)
        if age_on(p["birth_date"], b.today) >= 20:
            w.adults_by_community.setdefault(p["community_id"], []).append(pid)
    # 户主: the oldest person living in each household.
    heads: dict[int, dict] = {}
    for p in prows:
        h = heads.get(p["household_id"])
        if h is None or p["birth_date"] < h["birth_date"]:
            heads[p["household_id"]] = p
    b.update("households", [(hid, {"head_name": p["name"]}) for hid, p in heads.items()])
    return w
