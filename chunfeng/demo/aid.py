"""Demo real-name aid beyond the register (docs/real-name-aid.md): a 劳模 not in hardship paid by
中山区, a 困难企业 paid by its unified social credit code, a 一线职工 visited on duty, and the
bank's result file of the grassroots batch — one family paid, one transfer failed and listed for
re-payment."""

from __future__ import annotations

import datetime as dt

from chunfeng.core.idnumbers import check_digit
from chunfeng.funds.confirmation import bank_result_import
from chunfeng.funds.models import Recipient, VisitKind
from chunfeng.funds.services import batch_create, line_add
from chunfeng.funds.visits import visit_create

LAOMO = ("刘劳模", "195803150")  # a 全国劳动模范, retired, not in hardship
FRONTLINE = ("高值守", "199002010")  # a 大连港 dispatcher on duty on 除夕
ENTERPRISE = ("大连某机械厂", "91210202MA0Q4RTK1B")


def _ident(birth_seq: str) -> str:
    first17 = f"210202{birth_seq[:8]}{int(birth_seq[8:]):03d}"
    return first17 + check_digit(first17)


def demo_aid(campaign, users: dict, units: dict, bank_batch) -> None:
    district, filler = units["210202"], users["zs_filler"]
    batch = batch_create(unit=district, campaign=campaign, name="劳模和困难企业慰问", actor=filler)
    line_add(
        batch=batch,
        recipient=Recipient.MODEL,
        id_number=_ident(LAOMO[1]),
        name=LAOMO[0],
        amount="1000.00",
        aid_type="condolence",
        paid_on=dt.date(2012, 1, 15),
        actor=filler,
    )
    line_add(
        batch=batch,
        recipient=Recipient.ENTERPRISE,
        id_number=ENTERPRISE[1],
        name=ENTERPRISE[0],
        amount="5000.00",
        aid_type="condolence",
        paid_on=dt.date(2012, 1, 16),
        actor=filler,
    )
    visit_create(
        unit=district,
        campaign=campaign,
        kind=VisitKind.PERSON,
        recipient=Recipient.FRONTLINE,
        id_number=_ident(FRONTLINE[1]),
        person_name=FRONTLINE[0],
        visited_on=dt.date(2012, 1, 22),
        visitors="区总工会主席",
        note="温暖送一线：除夕坚守岗位",
        actor=filler,
    )
    _bank_result(bank_batch, users["qnwq_filler"])


def _bank_result(batch, actor) -> None:
    """The bank paid every transfer of the grassroots batch but the last (an account closed)."""
    lines = list(batch.lines.filter(cancelled=False).select_related("household").order_by("id"))
    rows = []
    for n, line in enumerate(lines, start=2):  # row 1 holds the column names
        failed = line is lines[-1]
        row = {
            "number": line.household.bank_account,
            "amount": f"{line.amount:.2f}",
            "result": "失败" if failed else "成功",
            "reason": "账户已销户" if failed else "",
        }
        rows.append((n, row))
    bank_result_import(batch=batch, rows=rows, actor=actor)
