"""Check expressions over blank codes, e.g. ``{05B} + {05C} == {05A}``.

Parsed with Python's ``ast`` and evaluated by walking a whitelist of node types: no ``eval``.
Numbers are evaluated as ``Decimal`` (yes/no blanks count as 1/0), so sums of money are exact.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal

REF = re.compile(r"\{([0-9]{2}[A-Z]?(?:\.[0-9]+)?)\}")
# In a check, a blank of another form of the same unit in the same campaign: {F2:08K}.
# The engine knows no campaign: its caller passes the other forms' values in (checks.run_checks).
CHECK_REF = re.compile(r"\{(?:([A-Za-z0-9_-]{1,16}):)?([0-9]{2}[A-Z]?(?:\.[0-9]+)?)\}")
OTHER = ":"  # "F2:08K": form code, then the blank's code


def other_form(code: str) -> tuple[str, str] | None:
    """("F2", "08K") for a reference to another form's blank, None for one of the same form."""
    form, sep, blank = code.partition(OTHER)
    return (form, blank) if sep else None


# Limits that keep parsing and evaluation bounded: a longer or deeper check is refused when the
# definition is loaded, so that evaluating a loaded check can never fail on a page.
MAX_LENGTH = 1000  # characters of the source
MAX_DEPTH = 40  # nested operations (a sum of n blanks nests n - 1 additions)

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_CMPOPS = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.Expression
    names: dict[str, str]  # python name -> blank code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.names.values()))

    def evaluate(self, values: dict[str, Decimal]) -> bool:
        return bool(_eval(self.tree.body, {n: values[c] for n, c in self.names.items()}))


def parse(source: str) -> Expression:
    if not isinstance(source, str):
        raise ExpressionError(f"表达式应为文字，而不是 {source!r}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            f"表达式过长（{len(source)} 个字符，最多 {MAX_LENGTH} 个）：{_head(source)}"
        )
    names: dict[str, str] = {}

    def substitute(match: re.Match) -> str:
        form, blank = match.group(1), match.group(2)
        code = f"{form}{OTHER}{blank}" if form else blank
        other = f"x{form.encode().hex()}_" if form else ""  # any form code, a valid name
        name = f"v_{other}{blank.replace('.', '_')}"
        names[name] = code
        return name

    python = CHECK_REF.sub(substitute, source)
    try:
        with warnings.catch_warnings():  # "1and 0" is refused, not warned about on stderr
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(python, mode="eval")
    except (SyntaxError, ValueError) as exc:  # ValueError: a NUL character, in Python 3.11
        raise ExpressionError(f"表达式语法错误：{source}") from exc
    except (RecursionError, MemoryError) as exc:
        raise ExpressionError(f"表达式嵌套过深：{_head(source)}") from exc
    if _depth(tree.body) > MAX_DEPTH:
        raise ExpressionError(f"表达式嵌套过深（最多 {MAX_DEPTH} 层）：{_head(source)}")
    for node in ast.walk(tree):
        _check_node(node, names, source)
    return Expression(source=source, tree=tree, names=names)


def _head(source: str, size: int = 60) -> str:
    return source if len(source) <= size else source[:size] + "…"


def _depth(root: ast.AST) -> int:
    """How deeply operations nest (without recursion, whatever the tree)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr))
    return deepest


_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
    ast.BinOp, ast.Compare, ast.Name, ast.Load, ast.Constant,
    *_BINOPS, *_CMPOPS,
)  # fmt: skip


def _check_node(node: ast.AST, names: dict[str, str], source: str) -> None:
    if not isinstance(node, _ALLOWED):
        raise ExpressionError(f"表达式中不允许使用 {type(node).__name__}：{source}")
    if isinstance(node, ast.Name) and node.id not in names:
        raise ExpressionError(f"表达式中的名称 {node.id} 不是填报项代码（请用 {{代码}}）：{source}")
    if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
        raise ExpressionError(f"表达式中只允许数字常量：{source}")
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not math.isfinite(node.value)
    ):
        raise ExpressionError(f"表达式中的数字超出范围：{source}")


def _eval(node: ast.AST, env: dict[str, Decimal]):
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, env)
        return (not value) if isinstance(node.op, ast.Not) else -value
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.BoolOp):
        results = (_eval(v, env) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, env)
            if not _CMPOPS[type(op)](left, right):
                return False
            left = right
        return True
    raise ExpressionError(f"无法计算 {type(node).__name__}")  # unreachable after _check_node


_OP_WORDS = {
    ast.LtE: "不能大于",
    ast.Lt: "必须小于",
    ast.GtE: "不能小于",
    ast.Gt: "必须大于",
    ast.Eq: "必须等于",
    ast.NotEq: "不能等于",
}


def default_message(expression: Expression, labels: dict[str, str]) -> str:
    """A Chinese sentence for a simple comparison, e.g. ``其中农民工总数（01A.2）不能大于…``."""
    body = expression.tree.body
    if isinstance(body, ast.Compare) and len(body.ops) == 1:
        left = _describe(body.left, expression.names, labels)
        right = _describe(body.comparators[0], expression.names, labels)
        return f"{left}{_OP_WORDS[type(body.ops[0])]}{right}。"
    return f"未通过审核：{expression.source}"


def _describe(node: ast.AST, names: dict[str, str], labels: dict[str, str]) -> str:
    if isinstance(node, ast.Name):
        code = names[node.id]
        shown = code.replace(OTHER, " ")
        return f"{labels.get(code, code)}（{shown}）"
    text = ast.unparse(node)
    for name, code in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(name, code.replace(OTHER, " "))
    return text
