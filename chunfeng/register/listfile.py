"""The household list file (困难职工名单): its columns, how a file is read (through the one
reader ``chunfeng.core.tables``: xlsx, xls or CSV in UTF-8 or GBK, streaming), how its headers
map onto the fields, and the template users fill in.

Row numbers are the file's own (the header is row 1 in the template). The contract columns are
read without a mapping step; other headers are mapped by the user (``guess_mapping`` proposes
one)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from chunfeng.core.errors import ApplicationError
from chunfeng.core.idnumbers import check_digit
from chunfeng.core.tables import Bounds, Header, Table, column_letter

# The file contract: these headers import without a mapping step (and make the template).
CONTRACT = ("姓名", "身份证号码", "联系电话", "工作单位", "困难类别", "家庭人口",
            "家庭月人均收入", "是否农民工", "是否劳模")  # fmt: skip
EXTRA = ("是否下岗失业", "银行卡号")  # read when present, never required
TARGETS = CONTRACT + EXTRA
REQUIRED = ("姓名", "身份证号码", "困难类别")
FIELD = {
    "姓名": "name", "身份证号码": "id_number", "联系电话": "phone", "工作单位": "employer",
    "困难类别": "category", "家庭人口": "family_size", "家庭月人均收入": "income",
    "是否农民工": "is_migrant", "是否劳模": "is_model_worker", "是否下岗失业": "is_laid_off",
    "银行卡号": "bank_account",
}  # fmt: skip
ALIASES = {
    "姓名": ("职工姓名", "户主姓名", "困难职工姓名", "名字"),
    "身份证号码": ("身份证号", "身份证", "公民身份号码", "身份证件号码", "证件号码", "身份证号码（文本）"),
    "联系电话": ("电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
    "工作单位": ("单位", "所在单位", "工作单位名称", "单位名称"),
    "困难类别": ("类别", "困难类型", "困难程度", "困难职工类别"),
    "家庭人口": ("家庭人口数", "家庭人数", "人口", "人口数"),
    "家庭月人均收入": ("月人均收入", "人均收入", "家庭人均月收入", "家庭人均收入", "人均月收入"),
    "是否农民工": ("农民工",),
    "是否劳模": ("劳模", "是否劳动模范"),
    "是否下岗失业": ("下岗失业", "是否失业", "是否下岗"),
    "银行卡号": ("银行账号", "卡号", "银行卡"),
}  # fmt: skip
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# A list of 200,000 households unpacks to about 100 MB (bench/); python-calamine holds a sheet
# whole, about 150 MB for those rows, in the process that reads it.
BOUNDS = Bounds(unpacked=256 * 1024 * 1024, rows=500_000, columns=200)


def _norm(header) -> str:
    return "".join(str(header or "").split()).replace("（", "(").replace("）", ")")


class HouseholdFile:
    """A household list on disk, read streaming as many times as needed."""

    def __init__(self, path: str | os.PathLike, name: str | None = None):
        self.path = Path(path)
        self.name = name or self.path.name
        if Path(self.name).suffix.lower() not in SUFFIXES:
            raise ApplicationError(
                "只能导入 Excel（xlsx、xls）或 CSV 文件",
                code="bad_type",
                details=[{"column": "", "message": f"文件“{self.name}”不是 Excel 或 CSV 文件"}],
            )
        self.table = Table(self.path, self.name, bounds=BOUNDS)

    def header(self) -> Header:
        """The first non-blank row (within the first 20) holds the column names."""
        try:
            return self.table.header()
        except ApplicationError as exc:
            if exc.code == "import_empty" and "空行" not in exc.message:
                exc.message = "文件是空的：第 1 行应为列名（姓名、身份证号码……）"
            raise

    def estimate_rows(self) -> int:
        return self.table.estimate_rows()

    def records(self, mapping: dict[str, int]) -> Iterator[tuple[int, dict]]:
        """``(row number, {field: value})`` for each row after the header that has something
        in a mapped column. ``mapping`` gives each target (``姓名`` …) its column index.
        Values are text, except a number in the ID column, which is reported as such."""
        self.header()
        columns = {FIELD[t]: i for t, i in mapping.items() if i is not None and t in FIELD}
        rows = self.table.records(columns, keep_numbers=frozenset({"id_number"}))
        return ((n, record) for n, record in rows if not is_sample(record))

    def columns_of(self, mapping: dict[str, int]) -> dict[str, str]:
        """Each field's column as the file names it (for the errors)."""
        columns = self.header().columns
        return {
            FIELD[t]: (columns[i] if i < len(columns) and columns[i] else t)
            for t, i in mapping.items()
            if i is not None and t in FIELD
        }


# --- mapping -----------------------------------------------------------------------------


def contract_mapping(columns: list[str]) -> dict[str, int] | None:
    """The mapping when the headers are the contract's (extra columns ignored), else None."""
    index = {}
    for i, column in enumerate(columns):
        index.setdefault(_norm(column), i)
    if not all(_norm(t) in index for t in CONTRACT):
        return None
    return {t: index.get(_norm(t)) for t in TARGETS}


def guess_mapping(columns: list[str]) -> dict[str, int | None]:
    """A proposed mapping for the mapping step: exact names first, then common aliases."""
    names = [_norm(c) for c in columns]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for target in TARGETS:
        for candidate in (target, *ALIASES.get(target, ())):
            hits = [i for i, n in enumerate(names) if n == _norm(candidate) and i not in used]
            if hits:
                mapping[target] = hits[0]
                used.add(hits[0])
                break
        else:
            mapping[target] = None
    return mapping


def mapping_problems(mapping: dict[str, int | None], columns: list[str]) -> list[str]:
    """What is wrong with a mapping: required targets unmapped, a column used twice."""
    problems = [f"请为“{t}”选择对应的列" for t in REQUIRED if mapping.get(t) is None]
    used: dict[int, str] = {}
    for target, i in mapping.items():
        if i is None:
            continue
        if not 0 <= i < len(columns):
            problems.append(f"“{target}”选择的列不存在")
        elif i in used:
            problems.append(f"“{used[i]}”和“{target}”选择了同一列（{column_label(i, columns)}）")
        else:
            used[i] = target
    return problems


def column_label(i: int, columns: list[str]) -> str:
    letter = column_letter(i)
    name = columns[i] if i < len(columns) else ""
    return f"{letter} 列：{name}" if name else f"{letter} 列"


# --- the template -----------------------------------------------------------------------------


@cache
def example_id() -> str:
    first17 = "21020219850315001"
    return first17 + check_digit(first17)


SAMPLE_MARK = "示例"
SAMPLE_NAME = "【示例，不导入】王小明"


def is_sample(record: dict) -> bool:
    """The template's sample row, left in a filled list: its example ID number with a name
    still marked 示例. It is never imported (nor counted, nor checked)."""
    return (
        SAMPLE_MARK in str(record.get("name", ""))
        and str(record.get("id_number", "")).strip() == example_id()
    )


def template_xlsx() -> bytes:
    """The household template: the contract headers, the ID column formatted as text ("@"),
    one sample row (marked 示例 in its name, greyed, with a note; never imported) and a sheet of
    notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "困难职工名单"
    sheet.append(list(CONTRACT))
    example = [
        SAMPLE_NAME,
        example_id(),
        "13800000000",
        "大连示例机械有限公司",
        "B",
        3,
        650,
        "是",
        "否",
    ]
    sheet.append(example)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3EFE9")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    widths = {"A": 12, "B": 22, "C": 15, "D": 28, "E": 10, "F": 10, "G": 16, "H": 12, "I": 10}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for letter in ("B", "C"):  # ID and phone numbers are text, so that Excel keeps every digit
        sheet.column_dimensions[letter].number_format = "@"
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet["B2"].data_type = "s"
    sample = Font(italic=True, color="808080")
    for cell in sheet[2]:
        cell.font = sample
    sheet["A2"].comment = Comment("这一行是填写示例，导入时会跳过，可删除也可保留。", "春风")
    categories = DataValidation(type="list", formula1='"B,C,D"', allow_blank=False)
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(categories)
    sheet.add_data_validation(yes_no)
    categories.add("E2:E5000")
    yes_no.add("H2:I5000")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for line in (
        ["列", "说明"],
        ["姓名", "必填"],
        [
            "身份证号码",
            "必填，18 位（15 位旧号码会自动转换）。本列已设为“文本”格式，请勿改为数字，"
            "否则 Excel 会把号码变成科学计数法或把末几位变成 0",
        ],
        [
            "困难类别",
            "必填：B 低于当地最低生活保障线；C 略高于低保标准但因故生活困难；"
            "D 因意外事件、重大疾病、自然灾害等致困（也可填中文名称）",
        ],
        ["家庭人口", "1～30 的整数，不填按 1 人"],
        ["家庭月人均收入", "单位：元，不填按 0"],
        [
            "是否农民工、是否劳模",
            "填“是”或“否”，不填按“否”；1980 年及以后出生的农民工自动计为新生代农民工",
        ],
        ["第 2 行", "灰色斜体的一行是填写示例（姓名带“示例”），导入时自动跳过"],
        [
            "",
            "一户一档：同一身份证号码只能有一份在档的档案；文件中任何一行有错误时，不会导入任何数据",
        ],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
