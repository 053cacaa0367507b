"""What every page must show in a real browser, measured in it: the page never scrolls sideways,
a unit's or a person's name in a table keeps at least four characters per line, axe-core finds
nothing critical, serious or moderate, and every chart is drawn with the numbers its JSON
endpoint answers. Each check returns the problems it found (empty: the page passes)."""

from __future__ import annotations

from pathlib import Path

AXE = (Path(__file__).parent / "axe-4.14.1.min.js").read_text(encoding="utf-8")
BUDGET = ("critical", "serious", "moderate")  # axe's impacts that fail a page

# The name cells: those marked .cell-name, and — whether or not a script marked them — every
# cell in a column whose header names a unit or a person (the same words app.js looks for).
NARROWEST_NAME = r"""() => {
  const header = /单位|姓名|名称|户主|联系人|走访人|收款人|来电人/;
  const cells = new Set(document.querySelectorAll('table td.cell-name'));
  document.querySelectorAll('table').forEach(table => {
    const head = table.tHead ? table.tHead.rows[0] : table.rows[0];
    if (!head) return;
    Array.from(head.cells).forEach((th, i) => {
      if (th.tagName !== 'TH' || !header.test(th.textContent.trim())) return;
      Array.from(table.tBodies).forEach(body => Array.from(body.rows).forEach(row => {
        if (row !== head && row.cells.length === head.cells.length && row.cells[i].tagName === 'TD')
          cells.add(row.cells[i]);
      }));
    });
  });
  let narrowest = {chars: Infinity, text: ''};
  cells.forEach(td => {
    const text = td.textContent.trim();
    if (!td.offsetParent || !text) return;
    const chars = td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize);
    if (chars < 4 && chars < narrowest.chars) narrowest = {chars, text};
  });
  return narrowest;
}"""

# what sticks out on the right, innermost first (to say which element makes the page scroll)
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
                    if (getComputedStyle(a).overflowX !== 'visible') return false;
                  return true; })
  .filter(el => !Array.from(el.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' ' + Math.round(el.getBoundingClientRect().right) + 'px')"""

AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""

DRAWN = """() => Array.from(document.querySelectorAll('[data-chart-src]')).map(el => {
  const chart = echarts.getInstanceByDom(el);
  return {src: el.getAttribute('data-chart-src'), canvas: !!el.querySelector('canvas'),
          categories: chart.getOption().xAxis ? chart.getOption().xAxis[0].data : null,
          series: chart.getOption().series.map(s => ({name: s.name, data: s.data}))};
})"""
JSON = """async (src) => (await fetch(src, {credentials: 'same-origin'})).json()"""


def number(value):
    """A chart's or an answer's figure as a number (the JSON carries Decimal as text)."""
    if value is None or value == "" or value == "—":
        return None
    if isinstance(value, dict):  # ECharts keeps a data item as {value: …}
        value = value.get("value")
    return float(str(value).replace(",", ""))


def layout_problems(page, where: str) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(
            f"{where}: the page scrolls sideways by {overflow}px ({page.evaluate(WIDEST)})"
        )
    narrowest = page.evaluate(NARROWEST_NAME)
    if narrowest["text"]:
        problems.append(
            f"{where}: the name cell “{narrowest['text'][:20]}” is "
            f"{narrowest['chars']:.1f} characters wide"
        )
    return problems


def axe_problems(page, where: str) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(AXE_RUN)
    return [
        f"{where}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for v in found
        if v["impact"] in BUDGET
    ]


def drawn_charts(page) -> list[dict]:
    """Every chart on the page once drawn (a selector, not wait_for_function: the
    Content-Security-Policy forbids the eval that one needs)."""
    charts = page.locator("[data-chart-src]").count()
    if not charts:
        return []
    page.locator("[data-chart-drawn]").nth(charts - 1).wait_for()
    return page.evaluate(DRAWN)


def chart_problems(page, where: str) -> list[str]:
    """Each chart's series equal those of the JSON it names (its table-only series aside)."""
    problems = []
    for drawn in drawn_charts(page):
        if not drawn["canvas"]:
            problems.append(f"{where}: {drawn['src']} drew no canvas")
        answer = page.evaluate(JSON, drawn["src"])
        expected = [
            {"name": s["name"], "data": [number(v) for v in s["data"]]}
            for s in answer["series"]
            if s.get("kind") != "table"
        ]
        got = [{"name": s["name"], "data": [number(v) for v in s["data"]]} for s in drawn["series"]]
        if got != expected:
            problems.append(f"{where}: {drawn['src']} drew {got}, its JSON says {expected}")
    return problems


def page_problems(page, where: str) -> list[str]:
    return layout_problems(page, where) + chart_problems(page, where) + axe_problems(page, where)
