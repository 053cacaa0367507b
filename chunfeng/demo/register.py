"""Demo real-name records for 中山区: hardship households on file, money received, a grassroots
payment batch (approved by the district's reviewer, so its bank file can be made), a district
batch that pays one family twice (so a duplicate flag is waiting for the reviewer), and visits —
enough for 表实相符 and 不遗漏 to show something; then the aid beyond the register (``aid``)."""

from __future__ import annotations

import datetime as dt

from chunfeng.core.actors import SYSTEM
from chunfeng.core.idnumbers import check_digit
from chunfeng.demo.aid import demo_aid
from chunfeng.funds.approval import batch_approve
from chunfeng.funds.receipts import receipt_create
from chunfeng.funds.services import batch_create, line_add
from chunfeng.funds.visits import visit_create
from chunfeng.register.services import household_create

FAMILIES = [  # name, birth, category, migrant, model worker, phone, income
    ("王大山", "19650312", "B", False, False, "13904110001", "420.00"),
    ("李秀英", "19720805", "C", False, True, "13904110002", "610.00"),
    ("张建国", "19681120", "D", False, False, "13904110003", "380.00"),
    ("刘海燕", "19850214", "B", True, False, "13904110004", "450.00"),
    ("陈志强", "19880930", "C", True, False, "13904110005", "590.00"),
    ("杨桂兰", "19600101", "D", False, False, "", "300.00"),
    ("赵立新", "19750618", "B", False, False, "13904110007", "400.00"),
    ("孙丽娟", "19820422", "C", True, False, "13904110008", "620.00"),
]


def ident(birth: str, seq: int) -> str:
    first17 = f"210202{birth}{seq:03d}"
    return first17 + check_digit(first17)


def demo_register(campaign, users: dict, units: dict) -> None:
    grassroots, district = units["210202001"], units["210202"]
    g_filler, d_filler = users["qnwq_filler"], users["zs_filler"]
    families = []
    for seq, (name, birth, cat, migrant, model, phone, income) in enumerate(FAMILIES, start=11):
        unit = grassroots if seq % 4 else district
        data = {
            "id_number": ident(birth, seq),
            "name": name,
            "category": cat,
            "phone": phone,
            "employer": "大连市中山区某企业",
            "family_size": 3,
            "income": income,
            "is_migrant": migrant,
            "is_model_worker": model,
            "bank_account": f"62220234000{seq:05d}",
        }
        families.append(household_create(unit=unit, data=data, actor=SYSTEM))
    day = dt.date(2011, 12, 28)
    for unit, user, source, amount in (
        (district, d_filler, "government", "30000.00"),
        (district, d_filler, "union", "20000.00"),
        (district, d_filler, "donation", "5000.00"),
        (grassroots, g_filler, "union", "8000.00"),
    ):
        receipt_create(
            unit=unit, campaign=campaign, source=source, amount=amount, received_on=day, actor=user
        )
    first = batch_create(unit=grassroots, campaign=campaign, name="春节慰问第一批", actor=g_filler)
    for family in families:
        if family.unit_id == grassroots.pk:
            line_add(
                batch=first,
                id_number=family.id_number,
                amount="600.00",
                aid_type="condolence",
                paid_on=dt.date(2012, 1, 10),
                actor=g_filler,
            )
    batch_approve(batch=first, actor=users["zs_reviewer"])
    second = batch_create(unit=district, campaign=campaign, name="区总工会春节慰问", actor=d_filler)
    for family in (families[0], families[1], families[5]):  # families[0] was paid above
        line_add(
            batch=second,
            id_number=family.id_number,
            amount="500.00",
            aid_type="living",
            paid_on=dt.date(2012, 1, 12),
            actor=d_filler,
        )
    visit_create(
        unit=district,
        campaign=campaign,
        kind="enterprise",
        enterprise="大连某机械厂",
        enterprise_code="91210202MA0Q4RTK1B",  # paid too (demo.aid): counted once in 04A/04B
        is_hardship_enterprise=True,
        visited_on=dt.date(2012, 1, 6),
        visitors="区总工会主席、生活保障部",
        actor=d_filler,
    )
    for family in (families[2], families[4]):  # kept by the grassroots union
        visit_create(
            unit=grassroots,
            campaign=campaign,
            kind="household",
            id_number=family.id_number,
            visited_on=dt.date(2012, 1, 7),
            visitors="街道工会主席",
            actor=g_filler,
        )
    demo_aid(campaign, users, units, first)
