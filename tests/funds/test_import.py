"""Importing a payment list from xlsx or CSV: all-or-nothing, errors with row and column,
duplicates flagged in the same transaction."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.core.errors import ApplicationError
from chunfeng.funds.line_import import lines_import, read_line_rows
from chunfeng.funds.models import DuplicateFlag, FlagKind, PaymentLine
from chunfeng.register.services import household_escape

from .helpers import batch, household, ident, pay, text

HEADER = ["身份证号码", "姓名", "金额", "发放方式(现金/实物)", "实物名称", "救助类别", "发放日期"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("名单.xlsx", out.getvalue())


def csv_file(lines, encoding="utf-8-sig") -> SimpleUploadedFile:
    body = "\r\n".join([",".join(HEADER), *lines]) + "\r\n"
    return SimpleUploadedFile("名单.csv", body.encode(encoding))


@pytest.fixture
def setup(fed):
    filler = fed.user("zs", "filler")
    people = [household(fed.zs_g1, i, f"职工{i}") for i in range(1, 5)]
    return filler, batch(fed, fed.zs, filler), people


def run(b, filler, upload):
    return lines_import(batch=b, rows=read_line_rows(upload), actor=filler)


def test_xlsx_import(fed, setup):
    filler, b, p = setup
    result = run(
        b,
        filler,
        xlsx(
            [
                [p[0].id_number, "职工1", 500, "现金", None, "慰问金", dt.datetime(2012, 1, 6)],
                [p[1].id_number, None, "1,200.50", "实物", "棉被", "生活救助", "2012/1/7"],
                [p[2].id_number.lower(), "", 300.25, None, None, "助学", "2012年1月8日"],
                [None, None, None, None, None, None, None],  # blank rows are skipped
            ]
        ),
    )
    assert len(result.lines) == 3 and result.flags == []
    lines = {line.household_id: line for line in b.lines.all()}
    assert lines[p[0].pk].amount == Decimal("500.00") and lines[p[0].pk].paid_on == dt.date(
        2012, 1, 6
    )
    goods = lines[p[1].pk]
    assert (goods.kind, goods.goods, goods.amount, goods.aid_type) == (
        "goods",
        "棉被",
        Decimal("1200.50"),
        "living",
    )
    assert lines[p[2].pk].kind == "cash" and lines[p[2].pk].amount == Decimal("300.25")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_import(fed, setup, encoding):
    filler, b, p = setup
    result = run(
        b,
        filler,
        csv_file(
            [
                f"{p[0].id_number},职工1,500,现金,,慰问金,2012-01-06",
                f"{p[3].id_number},,88.8,,,取暖补贴,2012-01-06",
            ],
            encoding,
        ),
    )
    assert len(result.lines) == 2 and b.lines.count() == 2


def test_errors_with_row_and_column_and_nothing_saved(fed, setup):
    filler, b, p = setup
    escaped = household(fed.zs_g1, 9, "已脱困")
    household_escape(
        household=escaped, on=dt.date(2011, 10, 1), reason="再就业", actor=fed.user("zs", "admin")
    )
    outsider = household(fed.xg_g1, 10, "西岗职工")
    upload = xlsx(
        [
            [p[0].id_number, "职工1", 500, "现金", None, "慰问金", "2012-01-06"],  # fine
            ["21020219700101001X", None, 500, None, None, "慰问金", "2012-01-06"],  # check digit
            [p[1].id_number, None, "12.345", None, None, "慰问金", "2012-01-06"],
            [p[2].id_number, None, 100, "实物", None, "慰问金", "2012-01-06"],
            [p[3].id_number, None, 100, None, None, "送温暖", "2012-13-01"],
            [ident(99), None, 100, None, None, "慰问金", "2012-01-06"],  # not on file
            [escaped.id_number, None, 100, None, None, "慰问金", "2012-01-06"],
            [outsider.id_number, None, 100, None, None, "慰问金", "2012-01-06"],
            [p[1].id_number, "张冠李戴", 100, None, None, "慰问金", "2012-01-06"],
            [210202197001010011, None, 100, None, None, "慰问金", "2012-01-06"],  # a number
        ]
    )
    with pytest.raises(ApplicationError) as exc:
        run(b, filler, upload)
    errors = {(d["row"], d["column"]): d["message"] for d in exc.value.details}
    assert "没有导入任何记录" in exc.value.message
    assert "校验位不正确" in errors[(3, "身份证号码")]
    assert "两位小数" in errors[(4, "金额")]
    assert "实物名称" in errors[(5, "实物名称")]
    assert "救助类别“送温暖”无效" in errors[(6, "救助类别")]
    assert "发放日期" in errors[(6, "发放日期")]
    assert "未在您的管辖范围内建立困难职工档案" in errors[(7, "身份证号码")]
    assert "已脱困" in errors[(8, "身份证号码")]
    assert "未在您的管辖范围内" in errors[(9, "身份证号码")]  # xg's file: not revealed
    assert "与档案不符" in errors[(10, "姓名")]
    assert "Excel" in errors[(11, "身份证号码")]
    assert (2, "身份证号码") not in errors
    assert exc.value.details[0]["text"].startswith("第 3 行“身份证号码”：")
    assert not PaymentLine.objects.exists()


def test_failure_after_saving_rolls_back(fed, setup, monkeypatch):
    import chunfeng.funds.line_import as line_import

    filler, b, p = setup

    def boom(lines):
        raise RuntimeError("disk full")

    monkeypatch.setattr(line_import, "duplicates_flag", boom)
    with pytest.raises(RuntimeError):
        run(b, filler, csv_file([f"{p[0].id_number},,500,现金,,慰问金,2012-01-06"]))
    assert not PaymentLine.objects.exists()


def test_import_flags_duplicates(fed, setup):
    filler, b, p = setup
    zsg = fed.user("zsg", "filler")
    pay(batch(fed, fed.zs_g1, zsg), zsg, p[0], "200")
    result = run(
        b,
        filler,
        csv_file(
            [
                f"{p[0].id_number},,500,现金,,慰问金,2012-01-06",  # paid by zs_g1 already
                f"{p[1].id_number},,500,现金,,慰问金,2012-01-06",
                f"{p[1].id_number},,300,现金,,医疗救助,2012-01-07",  # twice in this file
            ]
        ),
    )
    assert sorted(f.kind for f in result.flags) == [FlagKind.EXACT, FlagKind.EXACT]
    assert any("该户已由青泥洼桥街道总工会于 2012-01-05" in m for m in result.messages)
    assert any("该户已由本单位" in m for m in result.messages)
    assert DuplicateFlag.objects.count() == 2


def test_missing_columns_and_bad_files(fed, setup):
    filler, b, _p = setup
    with pytest.raises(ApplicationError) as exc:
        run(b, filler, xlsx([], header=["身份证号码", "金额"]))
    assert {d["column"] for d in exc.value.details} == {"救助类别", "发放日期"}
    with pytest.raises(ApplicationError, match="没有数据行"):
        run(b, filler, xlsx([]))
    with pytest.raises(ApplicationError, match="不是 Excel（xlsx/xls）或 CSV 文件"):
        read_line_rows(SimpleUploadedFile("名单.doc", b"not a sheet"))
    with pytest.raises(ApplicationError, match="已损坏"):
        read_line_rows(SimpleUploadedFile("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 cut"))
    with pytest.raises(ApplicationError, match="已损坏"):
        read_line_rows(SimpleUploadedFile("名单.xlsx", b"PK not really"))


def test_import_page(fed, setup, login):
    filler, b, p = setup
    client = login(filler)
    bad = client.post(
        f"/funds/batches/{b.pk}/import/",
        {"file": csv_file([f"{p[0].id_number},,abc,现金,,慰问金,2012-01-06"])},
    )
    assert bad.status_code == 400
    assert "第 2 行“金额”：金额“abc”不是数字" in text(bad)
    ok = client.post(
        f"/funds/batches/{b.pk}/import/",
        {"file": csv_file([f"{p[0].id_number},,500,现金,,慰问金,2012-01-06"])},
        follow=True,
    )
    assert "导入成功，共 1 户" in text(ok)
    template = client.get("/funds/batches/import-template.csv")
    assert template.content.decode("utf-8-sig").startswith("身份证号码,姓名,金额,发放方式")


def test_a_list_names_model_workers_enterprises_and_the_period(fed, setup):
    filler, b, p = setup
    laomo = ident(701, birth="19590101")
    header = [*HEADER, "发放对象"]
    result = run(
        b,
        filler,
        xlsx(
            [
                [p[0].id_number, "", 500, "现金", None, "慰问金", "2012-01-06", ""],
                [laomo, "王劳模", 800, "现金", None, "慰问金", "2012-01-06", "劳模、先进"],
                [
                    "91210202MA0Q4RTK1B",
                    "某机床厂",
                    5000,
                    "现金",
                    None,
                    "慰问金",
                    "2012-01-06",
                    "困难企业",
                ],
            ],
            header,
        ),
    )
    assert [(line.recipient, line.household_id) for line in result.lines] == [
        ("household", p[0].pk),
        ("model", None),
        ("enterprise", None),
    ]
    with pytest.raises(ApplicationError) as refused:
        run(
            b,
            filler,
            xlsx(
                [
                    [laomo, "", 100, "现金", None, "慰问金", "2012-01-06", "劳模、先进"],
                    [p[1].id_number, "", 100, "现金", None, "慰问金", "2012-02-01", ""],
                    [p[2].id_number, "", 100, "现金", None, "慰问金", "2012-01-06", "外星人"],
                ],
                header,
            ),
        )
    problems = [(d["row"], d["column"]) for d in refused.value.details]
    assert problems == [(2, "姓名"), (3, "发放日期"), (4, "发放对象")]
