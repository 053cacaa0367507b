"""Load and validate form definitions from YAML. Errors name the file, item, line and blank."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

from .derivations import build_derived
from .expressions import REF, ExpressionError, default_message, other_form, parse
from .rollup_rules import build_rollup
from .schema import (
    BLANK_TYPES,
    CHECK_LEVELS,
    HEADER_CODES,
    MISSING_STRATEGIES,
    NUMBER_STYLES,
    Blank,
    Check,
    FormDefinition,
    HeaderField,
    Item,
    Line,
    Segment,
)
from .shape import (
    BLANK,
    CHECK,
    HEADER,
    ITEM,
    LINE,
    TOP,
    DefinitionError,
    check_keys,
    check_list,
    named,
    prefixed,
    require_some,
)

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
_UNIT_TYPES = {"万元": "wan", "元": "yuan", "(是/否)": "yesno"}
FORM_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")  # in URLs; FormVersion.code is 16 long
ITEM_NUMBER = re.compile(r"[0-9]{2}")
LETTER = re.compile(r"[A-Z]?")
MAX_TITLE, MAX_ATTACHMENT, MAX_VERSION = 128, 32, 2**31 - 1  # what FormVersion's columns hold

MERGE_TAG = "tag:yaml.org,2002:merge"


def expected_code(item: str, letter: str, n: int) -> str:
    """The code rule: ``<item><letter>`` for a line's first blank, ``.<n>`` for the n-th."""
    return f"{item}{letter}" + (f".{n}" if n > 1 else "")


# --- files -------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping (PyYAML keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE_TAG:
                key = self.construct_object(key_node)
                if key in seen:
                    raise DefinitionError(f"第 {key_node.start_mark.line + 1} 行：键 {key} 重复")
                seen.add(key)
        return super().construct_mapping(node, deep)


def read_source(path: Path) -> dict:
    """The parsed YAML of a definition file (not yet validated); errors name the file."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_StrictLoader)
    except DefinitionError as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"{path.name}: 文件不是 UTF-8 编码") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(
            f"{path.name}: {prefixed(where, f'YAML 格式错误（{problem}）')}"
        ) from exc


def read_definition(path: Path) -> tuple[dict, FormDefinition]:
    """The file's source and its definition; every error names the file."""
    source = read_source(path)
    try:
        return source, build(source)
    except DefinitionError as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc


def load_file(path: Path) -> FormDefinition:
    return read_definition(path)[1]


# --- the definition ------------------------------------------------------------------------------


def build(data: dict) -> FormDefinition:
    check_keys(data, TOP, "", "定义文件的内容")
    _check_top(data)
    blanks: dict[str, Blank] = {}
    items = _build_items(data["items"], blanks)
    labels = {c: b.label for c, b in blanks.items()}
    return FormDefinition(
        code=data["code"],
        version=data["version"],
        attachment=data.get("attachment", ""),
        title=data["title"],
        number_style=data.get("number_style", "plain"),
        header=_build_header(data.get("header", [])),
        items=items,
        notes=tuple(check_list(data.get("notes", []), str, "", "notes ")),
        checks=_build_checks(data.get("checks", []), blanks, labels, data["code"]),
        derived=build_derived(data.get("derived", []), blanks),
        blanks=blanks,
        rollup=build_rollup(data.get("rollup", []), blanks),
    )


def _check_top(data: dict) -> None:
    code, version, title = data["code"], data["version"], data["title"]
    if not FORM_CODE.fullmatch(code):
        raise DefinitionError(f"表单代码 code {code!r} 只能由 1–16 个字母、数字、- 或 _ 组成")
    if not 1 <= version <= MAX_VERSION:
        raise DefinitionError(f"版本号 version 应为 1 至 {MAX_VERSION} 的整数，而不是 {version}")
    if not title.strip() or len(title) > MAX_TITLE:
        raise DefinitionError(f"标题 title 不能为空，也不能超过 {MAX_TITLE} 个字")
    if len(data.get("attachment", "")) > MAX_ATTACHMENT:
        raise DefinitionError(f"附件名 attachment 不能超过 {MAX_ATTACHMENT} 个字")
    if data.get("number_style", "plain") not in NUMBER_STYLES:
        raise DefinitionError(f"number_style {data['number_style']!r} 不在 {NUMBER_STYLES} 之中")


def _build_header(raw: list) -> tuple[HeaderField, ...]:
    fields: list[HeaderField] = []
    for n, spec in enumerate(raw, start=1):
        check_keys(spec, HEADER, f"表头（header）第 {n} 项")
        if spec["code"] not in HEADER_CODES:
            raise DefinitionError(
                f"表头（header）第 {n} 项：代码 {spec['code']!r} 不在 {HEADER_CODES} 之中"
            )
        if any(f.code == spec["code"] for f in fields):
            raise DefinitionError(f"表头（header）第 {n} 项：代码 {spec['code']} 重复")
        fields.append(HeaderField(spec["code"], spec["label"]))
    return tuple(fields)


def _build_items(raw: list, blanks: dict[str, Blank]) -> tuple[Item, ...]:
    require_some(raw, "", "填报项目 items ")
    items: list[Item] = []
    for n, spec in enumerate(raw, start=1):
        check_keys(spec, ITEM, named(spec, "number", "第 {} 项", f"items 第 {n} 个项目"))
        number = spec["number"]
        if not ITEM_NUMBER.fullmatch(number):
            raise DefinitionError(f"items 第 {n} 个项目：项目编号 {number!r} 必须是两位数字")
        if any(i.number == number for i in items):
            raise DefinitionError(f"第 {number} 项：项目编号 {number} 重复")
        items.append(_build_item(number, spec, blanks))
    return tuple(items)


def _build_item(number: str, raw: dict, blanks: dict[str, Blank]) -> Item:
    require_some(raw["lines"], f"第 {number} 项", "lines ")
    lines = tuple(
        _build_line(number, n, spec, blanks) for n, spec in enumerate(raw["lines"], start=1)
    )
    return Item(number=number, intro=raw.get("intro", ""), lines=lines)


def _build_line(item: str, n: int, raw: dict, blanks: dict[str, Blank]) -> Line:
    check_keys(raw, LINE, f"第 {item} 项第 {n} 行")
    letter = raw.get("letter", "")
    if not LETTER.fullmatch(letter):
        raise DefinitionError(
            f"第 {item} 项第 {n} 行：字母 letter {letter!r} 应为一个大写字母，或空（无字母行）"
        )
    where = f"第 {item} 项 {letter or '（无字母行）'}"
    text = raw["text"]
    if not text.strip():
        raise DefinitionError(f"{where}：文字 text 不能为空")
    specs = check_list(raw.get("blanks", []), dict, where, "blanks ")
    for k, spec in enumerate(specs, start=1):
        check_keys(spec, BLANK, named(spec, "code", f"{where} {{}}", f"{where} 第 {k} 个空"))
    declared = [spec["code"] for spec in specs]
    in_text = REF.findall(text)
    if in_text != declared:
        raise DefinitionError(f"{where}：文字中的空 {in_text} 与声明的空 {declared} 不一致")
    for k, spec in enumerate(specs, start=1):
        blank = _build_blank(item, letter, k, spec, where)
        if blank.code in blanks:
            raise DefinitionError(f"{where}：代码 {blank.code} 重复")
        blanks[blank.code] = blank
    return Line(letter=letter, text=text, segments=_segments(text), blanks=tuple(declared))


def _build_blank(item: str, letter: str, n: int, spec: dict, where: str) -> Blank:
    code = spec["code"]
    if code != expected_code(item, letter, n):
        raise DefinitionError(
            f"{where}：第 {n} 个空的代码应为 {expected_code(item, letter, n)}，而不是 {code}"
        )
    btype, unit = spec["type"], spec.get("unit", "")
    if btype not in BLANK_TYPES:
        raise DefinitionError(f"{where} {code}：类型 {btype!r} 不在 {BLANK_TYPES} 之中")
    if _UNIT_TYPES.get(unit, "count") != btype:
        raise DefinitionError(f"{where} {code}：单位“{unit}”与类型 {btype} 不符")
    if not spec["label"].strip():
        raise DefinitionError(f"{where} {code}：缺少名称（label）")
    return Blank(code=code, label=spec["label"], unit=unit, type=btype, item=item, letter=letter)


def _segments(text: str) -> tuple[Segment, ...]:
    parts: list[Segment] = []
    pos = 0
    for match in REF.finditer(text):
        if match.start() > pos:
            parts.append(Segment(text=text[pos : match.start()]))
        parts.append(Segment(blank=match.group(1)))
        pos = match.end()
    if pos < len(text):
        parts.append(Segment(text=text[pos:]))
    return tuple(parts)


def _build_checks(raw: list, blanks: dict[str, Blank], labels: dict[str, str], form: str):
    checks: list[Check] = []
    for n, spec in enumerate(raw, start=1):
        check_keys(spec, CHECK, named(spec, "id", "审核规则 {}", f"审核规则（checks）第 {n} 条"))
        cid = spec["id"].strip()
        if not cid:
            raise DefinitionError(f"审核规则（checks）第 {n} 条：编号 id 不能为空")
        if any(c.id == cid for c in checks):
            raise DefinitionError(f"审核规则 {cid}：编号 {cid} 重复")
        checks.append(_build_check(cid, spec, blanks, labels, form))
    return tuple(checks)


def _build_check(
    cid: str, raw: dict, blanks: dict[str, Blank], labels: dict[str, str], current_form: str
) -> Check:
    where = f"审核规则 {cid}"
    try:
        expression = parse(raw["expr"])
    except ExpressionError as exc:
        raise DefinitionError(f"{where}：{exc}") from exc
    unknown = [c for c in expression.codes if c not in blanks and other_form(c) is None]
    if unknown:
        raise DefinitionError(f"{where}：引用了不存在的填报项 {unknown}")
    itself = [c for c in expression.codes if (other_form(c) or ("",))[0] == current_form]
    if itself:
        raise DefinitionError(f"{where}：本表的填报项不要写表单代码：{itself}")
    level = raw.get("level", "error")
    if level not in CHECK_LEVELS:
        raise DefinitionError(f"{where}：级别 level {level!r} 不在 {CHECK_LEVELS} 之中")
    missing = raw.get("missing", "skip_if_any")
    if missing not in MISSING_STRATEGIES:
        raise DefinitionError(f"{where}：missing {missing!r} 不在 {MISSING_STRATEGIES} 之中")
    return Check(
        id=cid,
        expr=raw["expr"],
        level=level,
        message=raw.get("message") or default_message(expression, labels),
        missing=missing,
        fields=expression.codes,
    )


# --- the folders -------------------------------------------------------------------------------


def definition_dirs() -> list[Path]:
    """The built-in folder, then those of the CHUNFENG_FORM_DIRS setting, in order."""
    return [DEFINITIONS_DIR, *(Path(p) for p in getattr(settings, "CHUNFENG_FORM_DIRS", []))]


def definition_files() -> list[Path]:
    files: list[Path] = []
    for folder in definition_dirs():
        if not folder.is_dir():
            raise DefinitionError(f"表单定义目录 {folder} 不存在（请检查 CHUNFENG_FORM_DIRS）")
        files += sorted(folder.glob("*.yaml"))
    return files


def read_definitions() -> list[tuple[Path, dict, FormDefinition]]:
    """Every definition file of every folder, read afresh: (path, source, definition)."""
    found = [(path, *read_definition(path)) for path in definition_files()]
    _refuse_duplicates([(path, definition) for path, _source, definition in found])
    _refuse_unknown_references([(path, definition) for path, _source, definition in found])
    return found


def form_definitions() -> dict[tuple[str, int], FormDefinition]:
    """Every definition of every folder by (code, version); a file is read again only once it
    has changed."""
    found = []
    for path in definition_files():
        stat = path.stat()
        found.append((path, _load_cached(path, stat.st_mtime_ns, stat.st_size)))
    _refuse_duplicates(found)
    _refuse_unknown_references(found)
    return {(d.code, d.version): d for _path, d in found}


@lru_cache(maxsize=256)
def _load_cached(path: Path, _mtime_ns: int, _size: int) -> FormDefinition:
    return load_file(path)


def _refuse_duplicates(found: list[tuple[Path, FormDefinition]]) -> None:
    seen: dict[tuple[str, int], Path] = {}
    for path, definition in found:
        key = (definition.code, definition.version)
        if key in seen:
            raise DefinitionError(
                f"{path.name}: 表单 {key[0]} 第 {key[1]} 版已在 {seen[key]} 中定义（每版只能有一个文件）"
            )
        seen[key] = path


def _refuse_unknown_references(found: list[tuple[Path, FormDefinition]]) -> None:
    """A check reading another form (``{F2:08K}``) names a form of the folders and a blank
    that one of its versions has."""
    blanks: dict[str, set[str]] = {}
    for _path, definition in found:
        blanks.setdefault(definition.code, set()).update(definition.blanks)
    for path, definition in found:
        for check in definition.checks:
            for ref in filter(None, map(other_form, check.fields)):
                if ref[1] not in blanks.get(ref[0], set()):
                    raise DefinitionError(
                        f"{path.name}: 审核规则 {check.id}：表单 {ref[0]} 没有填报项 {ref[1]}"
                    )


def latest_builtin(code: str) -> FormDefinition:
    """The latest version of a form among the definition files (built-in and extra folders)."""
    versions = [d for (c, _v), d in form_definitions().items() if c == code]
    if not versions:
        raise KeyError(code)
    return max(versions, key=lambda d: d.version)
