"""Import of a household list (困难职工名单) from xlsx or csv.

The file is read streaming: xlsx with python-calamine (``iter_rows``), csv with the csv module
(UTF-8 with or without BOM, else GBK/GB18030). Row numbers are the file's own (the header is
row 1 in the template). The contract columns are read without a mapping step; other headers
are mapped by the user (``guess_mapping`` proposes one). The validation and the all-or-nothing
commit are ``bulk.household_import_check`` / ``bulk.household_import``; this module
turns a file into their rows and runs them as background jobs."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from chunfeng.core.errors import ApplicationError

from .bulk import household_import, household_import_check
from .idnumbers import check_digit

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
MAX_BYTES = 100 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
UPLOAD_DIR = "register-imports"
DETAILS_IN_RESULT = 1000  # errors kept in a job's result (the page shows the first 200)


def _norm(header) -> str:
    return "".join(str(header or "").split()).replace("（", "(").replace("）", ")")


# --- reading -----------------------------------------------------------------------------


@dataclass
class Header:
    row: int  # its row number in the file
    columns: list[str]


class HouseholdFile:
    """An xlsx/xls/csv file on disk, read streaming as many times as needed."""

    def __init__(self, path: str | os.PathLike, name: str | None = None):
        self.path = Path(path)
        self.name = name or self.path.name
        self.kind = Path(self.name).suffix.lower()
        if self.kind not in SUFFIXES:
            raise ApplicationError(
                "只能导入 Excel（xlsx）或 CSV 文件", code="bad_type",
                details=[{"column": "", "message": f"文件“{self.name}”不是 xlsx 或 csv 文件"}],
            )  # fmt: skip
        self._encoding: str | None = None
        self._lines = 0
        self._header: Header | None = None
        self._loaded = None  # the calamine sheet, read once for the header and the rows

    # raw rows, numbered from 1 ---------------------------------------------------------
    def _raw(self) -> Iterator[tuple[int, list]]:
        if self.kind == ".csv":
            yield from self._csv_rows()
        else:
            yield from self._sheet_rows()

    def _sheet_rows(self) -> Iterator[tuple[int, list]]:
        # iter_rows starts at the sheet's first row (empty rows above the data included)
        yield from enumerate(self._sheet().iter_rows(), start=1)

    def _sheet(self):
        from python_calamine import CalamineWorkbook

        if self._loaded is not None:
            return self._loaded
        try:
            self._loaded = CalamineWorkbook.from_path(str(self.path)).get_sheet_by_index(0)
            return self._loaded
        except Exception as exc:  # calamine raises its own error types for broken files
            raise ApplicationError(
                "无法读取这个 Excel 文件：文件可能已损坏，或不是 xlsx 格式。请用 Excel 或 WPS "
                "打开后“另存为 xlsx”再导入。", code="bad_file",
            ) from exc  # fmt: skip

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        encoding = self.encoding()
        with open(self.path, encoding=encoding, newline="") as f:
            first = f.readline()
            f.seek(0)
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
            yield from enumerate(csv.reader(f, delimiter=delimiter), start=1)

    def encoding(self) -> str:
        """UTF-8 (with or without BOM), else GBK (read as its superset GB18030)."""
        if self._encoding is None:
            for encoding in ("utf-8-sig", "gb18030"):
                decoder = codecs.getincrementaldecoder(encoding)()
                lines = 0
                try:
                    with open(self.path, "rb") as f:
                        while block := f.read(1 << 20):
                            decoder.decode(block)
                            lines += block.count(b"\n")
                        decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    continue
                self._encoding, self._lines = encoding, lines
                break
            else:
                raise ApplicationError(
                    "无法识别 CSV 文件的编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入。",
                    code="bad_encoding",
                )  # fmt: skip
        return self._encoding

    # the header and the data rows ----------------------------------------------------------
    def header(self) -> Header:
        """The first non-blank row (within the first 20) holds the column names."""
        if self._header is None:
            for number, row in self._raw():
                if number > HEADER_SEARCH_ROWS:
                    break
                if any(_cell(v) for v in row):
                    columns = [_cell(v) for v in row]
                    while columns and not columns[-1]:
                        columns.pop()
                    self._header = Header(number, columns)
                    break
            else:
                raise ApplicationError("文件是空的：第 1 行应为列名（姓名、身份证号码……）",
                                       code="import_empty")  # fmt: skip
            if self._header is None:
                raise ApplicationError(f"文件前 {HEADER_SEARCH_ROWS} 行都是空行，找不到列名",
                                       code="import_empty")  # fmt: skip
        return self._header

    def estimate_rows(self) -> int:
        """About how many data rows there are (for the progress bar)."""
        header = self.header()
        if self.kind == ".csv":
            self.encoding()
            return max(self._lines - header.row + 1, 1)
        end = self._sheet().end
        return max((end[0] + 1 if end else 0) - header.row, 1)

    def records(self, mapping: dict[str, int]) -> Iterator[tuple[int, dict]]:
        """``(row number, {field: value})`` for each row after the header that has something
        in a mapped column. ``mapping`` gives each target (``姓名`` …) its column index.
        Values are text, except a number in the ID column, which is reported as such."""
        header = self.header()
        pairs = [(FIELD[t], i) for t, i in mapping.items() if i is not None and t in FIELD]
        width = max((i for _, i in pairs), default=-1) + 1
        for number, row in self._raw():
            if number <= header.row:
                continue
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            data = {}
            blank = True
            for name, i in pairs:
                value = row[i]
                if type(value) is str:
                    value = value.strip()
                elif name != "id_number" or not _is_number(value):
                    value = _cell(value)
                if blank and value != "":
                    blank = False
                data[name] = value
            if not blank:
                yield number, data
        self._loaded = None  # read through: let the sheet's memory go

    def columns_of(self, mapping: dict[str, int]) -> dict[str, str]:
        """Each field's column as the file names it (for the errors)."""
        columns = self.header().columns
        return {
            FIELD[t]: (columns[i] if i < len(columns) and columns[i] else t)
            for t, i in mapping.items() if i is not None and t in FIELD
        }  # fmt: skip


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value) -> str:
    """A cell as text: Excel stores phone numbers and counts as floats (13812345678.0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


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
    letter = _letters(i)
    name = columns[i] if i < len(columns) else ""
    return f"{letter} 列：{name}" if name else f"{letter} 列"


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


# --- stored uploads ------------------------------------------------------------------------


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def store_upload(upload) -> tuple[str, Path]:
    """Keep an uploaded file on disk between the steps: ``(token, path)``."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ApplicationError("只能导入 Excel（xlsx）或 CSV 文件；旧版 .xls 请另存为 xlsx",
                               code="bad_type")  # fmt: skip
    if upload.size > MAX_BYTES:
        raise ApplicationError(f"文件过大，上限为 {MAX_BYTES // 1024 // 1024} MB", code="too_large")
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = uuid.uuid4().hex
    path = folder / f"{token}{suffix}"
    with open(path, "wb") as out:
        for block in upload.chunks():
            out.write(block)
    return token, path


def stored_path(token: str, suffix: str) -> Path:
    if not token.isalnum() or suffix not in SUFFIXES:
        raise ApplicationError("无效的导入文件", code="bad_token")
    return upload_dir() / f"{token}{suffix}"


def discard_upload(path) -> None:
    Path(path).unlink(missing_ok=True)


def _sweep(folder: Path, max_age_days: int = 2) -> None:
    """Uploads abandoned before their import are removed after two days."""
    limit = dt.datetime.now().timestamp() - max_age_days * 86400
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


# --- services over a file ----------------------------------------------------------------------


def check_file(file: HouseholdFile, mapping: dict, *, on_progress=None, max_errors=10_000):
    return household_import_check(
        rows=file.records(mapping), columns=file.columns_of(mapping), on_progress=on_progress,
        max_errors=max_errors,
    )  # fmt: skip


def import_file(file: HouseholdFile, mapping: dict, *, unit, actor, on_progress=None,
                max_errors: int | None = 10_000):  # fmt: skip
    """Validate and commit (all or nothing) a household file into ``unit``."""
    return household_import(
        unit=unit, rows=file.records(mapping), columns=file.columns_of(mapping), actor=actor,
        source=file.name, on_progress=on_progress, max_errors=max_errors,
    )  # fmt: skip


def mapping_for_cli(file: HouseholdFile) -> dict[str, int | None]:
    """The contract columns, else the aliases; an error naming the missing columns."""
    columns = file.header().columns
    mapping = contract_mapping(columns) or guess_mapping(columns)
    problems = mapping_problems(mapping, columns)
    if problems:
        raise ApplicationError(
            "文件的列名与模板不符：" + "；".join(problems) + f"。模板的列为：{'、'.join(CONTRACT)}",
            code="bad_columns",
        )  # fmt: skip
    return mapping


# --- background jobs ------------------------------------------------------------------------


def check_job(job, *, path: str, filename: str, mapping: dict, next_url: str) -> dict:
    """Job target: the preview — the first rows as they will be saved and every problem."""
    from chunfeng.jobs.services import job_progress

    file = HouseholdFile(path, filename)
    total = file.estimate_rows()
    job_progress(job, 0, total, "正在检查文件…")
    check = check_file(
        file, mapping, on_progress=lambda done: job_progress(job, min(done, total)),
        max_errors=DETAILS_IN_RESULT,
    )  # fmt: skip
    job_progress(job, total, total)
    return {
        "next": next_url, "message": check.summary(), "rows": check.rows, "valid": check.valid,
        "bad_rows": check.bad_rows, "error_count": check.error_count, "errors": check.errors,
        "preview": check.preview,
    }  # fmt: skip


def import_job(job, *, path: str, filename: str, mapping: dict, next_url: str) -> dict:
    """Job target: validate everything again, then insert all rows in one transaction."""
    from chunfeng.jobs.services import job_progress

    from .services import can_edit_households

    unit, actor = job.unit, job.created_by
    if unit is None or actor is None or not can_edit_households(actor, unit):
        raise ApplicationError("您不能为这个单位导入档案", code="forbidden")
    file = HouseholdFile(path, filename)
    rows = file.estimate_rows()
    total = 2 * rows
    job_progress(job, 0, total, "正在检查文件…")
    side = _ProgressLine(job)

    def progress(stage: str, done: int) -> None:
        if stage == "check":
            job_progress(job, min(done, rows))
        elif stage == "checked":
            job_progress(job, rows, message=f"检查通过，正在写入 {done} 户…")
        else:  # inside the transaction: only another connection's write is seen at once
            side.update(min(rows + done, total))

    try:
        check = import_file(file, mapping, unit=unit, actor=actor, on_progress=progress,
                            max_errors=DETAILS_IN_RESULT)  # fmt: skip
    except ApplicationError as exc:
        if len(exc.details) > 200:
            exc.message += "下面列出前 200 处。"
        raise
    finally:
        side.close()
    job_progress(job, total, total)
    discard_upload(path)
    return {
        "next": next_url, "count": check.valid, "unit": unit.code,
        "message": f"已为{unit.name}导入 {check.valid} 户困难职工档案",
    }  # fmt: skip


class _ProgressLine:
    """Progress written while the import's transaction is open. PostgreSQL: on a second
    connection, so the page sees it at once. SQLite allows one writer, so it waits for the
    commit (the bar then jumps to the end)."""

    def __init__(self, job):
        self.job = job
        self.conn = None
        if connection.vendor != "sqlite" and not getattr(settings, "CHUNFENG_JOBS_SYNC", False):
            self.conn = connections.create_connection("default")

    def update(self, done: int) -> None:
        if self.conn is None:
            return
        table = self.conn.ops.quote_name(self.job._meta.db_table)
        with self.conn.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET done = %s WHERE id = %s", [done, self.job.pk])

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


# --- the template -----------------------------------------------------------------------------


def example_id() -> str:
    first17 = "21020219850315001"
    return first17 + check_digit(first17)


def template_xlsx() -> bytes:
    """The household template: the contract headers, the ID column formatted as text ("@"),
    one example row and a sheet of notes."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "困难职工名单"
    sheet.append(list(CONTRACT))
    example = ["王小明", example_id(), "13800000000", "大连示例机械有限公司", "B", 3, 650,
               "是", "否"]  # fmt: skip
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
        ["身份证号码", "必填，18 位（15 位旧号码会自动转换）。本列已设为“文本”格式，请勿改为数字，"
                     "否则 Excel 会把号码变成科学计数法或把末几位变成 0"],
        ["困难类别", "必填：B 低于当地最低生活保障线；C 略高于低保标准但因故生活困难；"
                   "D 因意外事件、重大疾病、自然灾害等致困（也可填中文名称）"],
        ["家庭人口", "1～30 的整数，不填按 1 人"],
        ["家庭月人均收入", "单位：元，不填按 0"],
        ["是否农民工、是否劳模", "填“是”或“否”，不填按“否”；1980 年及以后出生的农民工自动计为新生代农民工"],
        ["", "一户一档：同一身份证号码只能有一份在档的档案；文件中任何一行有错误时，不会导入任何数据"],
    ):  # fmt: skip
        notes.append(line)
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
