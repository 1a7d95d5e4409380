"""Places shared by every area (街道 → 社区 → 小区 → 楼栋 → 单元 → 户) and the one person
registry (人员) that every other register refers to."""

from __future__ import annotations

from .base import BOOL, CHOICE, DATE, ID_NUMBER, INT, LONGTEXT, MULTI, PHONE, REF, Field, Register

COMMUNITY_TYPES = ("城市社区", "村改居社区")
GENDERS = ("男", "女")
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学", "文盲")
#: What district rosters write for 学历 (文化程度).
EDUCATION_ALIASES = (
    ("本科", "大学本科"), ("大学", "大学本科"), ("本科及以上", "大学本科"), ("学士", "大学本科"),
    ("大专", "大学专科"), ("专科", "大学专科"), ("高职", "大学专科"),
    ("硕士", "研究生"), ("博士", "研究生"), ("硕士研究生", "研究生"), ("博士研究生", "研究生"),
    ("研究生及以上", "研究生"), ("中技", "中专"), ("技校", "中专"), ("职高", "中专"),
    ("中职", "中专"), ("中等专科", "中专"), ("高中及以下", "高中"), ("初中及以下", "初中"),
    ("小学及以下", "小学"), ("文盲或半文盲", "文盲"), ("半文盲", "文盲"))
GENDER_ALIASES = (("男性", "男"), ("女性", "女"))
PERSON_TAGS = ("流动人口", "闲散青少年", "留守儿童", "老年人", "残疾人", "低保", "退役军人",
               "独居老人")
ETHNICITIES = ("汉族", "回族", "满族", "蒙古族", "壮族", "维吾尔族", "藏族", "苗族", "彝族",
               "土家族", "朝鲜族", "其他")

streets = Register(
    key="streets", label="街道", area="basics",
    fields=(
        Field("name", "街道名称", required=True, unique=True, width=12, roster=True,
              synonyms=("街道", "街道办", "乡镇街道")),
        Field("district", "所属区县", width=10, roster=True, synonyms=("区", "区县")),
        Field("phone", "联系电话", PHONE, width=12, roster=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    match_keys=("name",),
    order=("name",),
)

communities = Register(
    key="communities", label="社区", area="basics",
    fields=(
        Field("name", "社区名称", required=True, unique=True, width=10, roster=True,
              synonyms=("社区", "所属社区", "村(社区)", "村（社区）", "村居")),
        Field("street_id", "所属街道", REF, ref="streets", width=10),
        Field("community_type", "社区类型", CHOICE, choices=COMMUNITY_TYPES, required=True,
              width=8, roster=True, synonyms=("类型",)),
        Field("address", "办公地址", width=16, roster=True),
        Field("phone", "联系电话", PHONE, width=12, roster=True),
        # Counted from the 户 and 人员 registers (kept in step by the services).
        Field("households_total", "户数", INT, width=6, derived=True,
              help="本社区登记的户数（由“户”台账自动统计）"),
        Field("residents_total", "常住人口", INT, width=7, derived=True,
              help="本社区登记的人数（由“人员信息”自动统计）"),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    match_keys=("name",),
    roster_title="社区一览",
    order=("name",),
)


def _compound_check(values: dict) -> list[tuple[str, str]]:
    if values.get("has_supervisor") and not values.get("supervisor"):
        return [("supervisor", "已勾选“有主管单位”，请填写主管单位名称")]
    return []


compounds = Register(
    key="compounds", label="小区", area="basics",
    fields=(
        Field("name", "小区名称", required=True, width=12, roster=True,
              synonyms=("小区", "所在小区", "院落", "小区(院落)")),
        Field("community_id", "所属社区", REF, ref="communities", required=True, width=10,
              roster=True, synonyms=("社区",)),
        Field("address", "地址", width=16, roster=True),
        Field("has_property", "有物业", BOOL, width=5, roster=True, synonyms=("物业",)),
        Field("property_company", "物业公司", width=12),
        Field("has_owners_committee", "有业委会", BOOL, width=5, roster=True,
              synonyms=("业委会",)),
        Field("has_supervisor", "有主管单位", BOOL, width=6, roster=True),
        Field("supervisor", "主管单位", width=12),
        Field("buildings_total", "楼栋数", INT, width=5, derived=True,
              help="本小区登记的楼栋数（由“楼栋”台账自动统计）"),
        Field("households_total", "户数", INT, width=5, derived=True,
              help="本小区登记的户数（由“户”台账自动统计）"),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    match_keys=("community_id", "name"),
    roster_title="小区一览",
    order=("community_id", "name"),
    validate=_compound_check,
    description="三无小区：无物业、无业委会、无主管单位（由三项自动得出）。",
)

buildings = Register(
    key="buildings", label="楼栋", area="basics",
    fields=(
        Field("name", "楼栋", required=True, width=6, roster=True, synonyms=("楼号", "栋号")),
        Field("compound_id", "所属小区", REF, ref="compounds", required=True, width=12,
              roster=True, synonyms=("小区",)),
        Field("floors", "层数", INT, width=4),
        Field("units_total", "单元数", INT, width=5),
        Field("building_head", "楼栋长", width=6, roster=True, synonyms=("楼长",)),
        Field("label", "楼栋全称", width=14, table=False, derived=True,
              help="小区名 + 楼栋号，由系统生成，用于其他台账引用"),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    title="label",
    match_keys=("compound_id", "name"),
    order=("compound_id", "name"),
)

units = Register(
    key="units", label="单元", area="basics",
    fields=(
        Field("name", "单元", required=True, width=5, roster=True),
        Field("building_id", "所属楼栋", REF, ref="buildings", required=True, width=14,
              roster=True),
        Field("label", "单元全称", width=16, table=False, derived=True),
    ),
    title="label",
    match_keys=("building_id", "name"),
    order=("building_id", "name"),
)

households = Register(
    key="households", label="户", area="basics",
    fields=(
        Field("room", "门牌/房号", required=True, width=6, roster=True,
              synonyms=("房号", "门牌号", "户号")),
        Field("unit_id", "所属单元", REF, ref="units", width=16, roster=True),
        Field("compound_id", "所属小区", REF, ref="compounds", width=12),
        Field("community_id", "所属社区", REF, ref="communities", required=True, width=10),
        Field("address", "住址", width=24, roster=True, synonyms=("家庭住址", "现住址")),
        Field("head_name", "户主姓名", width=6, roster=True, synonyms=("户主",)),
        Field("is_party_household", "党员户", BOOL, width=5, roster=True, derived=True,
              help="家中有在册党员（由党员名册自动得出）"),
        Field("plaque_hung", "已挂牌", BOOL, width=5, roster=True,
              synonyms=("挂牌", "党员户挂牌")),
        Field("plaque_date", "挂牌日期", DATE, width=9),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    title="address",
    match_keys=("address",),
    order=("community_id", "address"),
)


people = Register(
    key="people", label="人员信息", area="basics", people=True, headline="人员 {n:,} 人",
    fields=(
        Field("name", "姓名", required=True, width=6, roster=True, max_length=40,
              synonyms=("名字", "人员姓名", "党员姓名", "成员姓名")),
        Field("gender", "性别", CHOICE, choices=GENDERS, width=4, roster=True,
              aliases=GENDER_ALIASES),
        Field("ethnicity", "民族", CHOICE, choices=ETHNICITIES, width=5, roster=True,
              default="汉族"),
        Field("birth_date", "出生日期", DATE, width=9, roster=True,
              synonyms=("出生年月", "生日", "出生年月日")),
        Field("id_number", "公民身份号码", ID_NUMBER, unique=True, width=18, roster=True,
              sensitive=True,
              synonyms=("身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码",
                        "公民身份证号码", "身份号码")),
        Field("phone", "联系电话", PHONE, width=12, roster=True, sensitive=True,
              synonyms=("电话", "手机", "手机号", "手机号码", "联系方式")),
        Field("education", "学历", CHOICE, choices=EDUCATIONS, width=7, roster=True,
              synonyms=("文化程度",), aliases=EDUCATION_ALIASES),
        Field("community_id", "所属社区", REF, ref="communities", width=10, roster=True,
              synonyms=("社区", "所在社区")),
        Field("address", "住址", width=24, roster=True,
              synonyms=("家庭住址", "现住址", "居住地址", "家庭地址", "住址（门牌号）"),
              help="文字地址；与某户的住址相同时自动关联到该户"),
        Field("household_id", "所属户", REF, ref="households", width=24,
              synonyms=("户",)),
        Field("tags", "人员标签", MULTI, choices=PERSON_TAGS, width=12,
              synonyms=("标签", "人员类别")),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    match_keys=("id_number",),
    roster_title="人员花名册",
    order=("id",),
    description="身份证号唯一；出生日期、性别可由身份证号得出，并与之核对。",
)

REGISTERS = (streets, communities, compounds, buildings, units, households, people)

__all__ = ["REGISTERS", "COMMUNITY_TYPES", "GENDERS", "EDUCATIONS", "PERSON_TAGS"]
