import json

from django.core.management.base import BaseCommand, CommandError

from chunfeng.formdefs.loader import DefinitionError, form_definitions


class Command(BaseCommand):
    help = "列出或显示表单定义 (list / show CODE)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="列出所有表单")
        ls.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="显示一张表单的全部填报项和审核规则")
        show.add_argument("code")
        show.add_argument("--version", type=int, default=None)
        show.add_argument("--json", action="store_true")

    def handle(self, *args, action, **opts):
        try:
            found = form_definitions()
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        definitions = sorted(found.values(), key=lambda d: (d.code, d.version))
        if action == "list":
            rows = [
                {
                    "code": d.code,
                    "version": d.version,
                    "attachment": d.attachment,
                    "title": d.title,
                    "fields": len(d.blanks),
                    "checks": len(d.checks),
                }
                for d in definitions
            ]
            if opts["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                for r in rows:
                    self.stdout.write(
                        f"{r['code']}\tv{r['version']}\t{r['attachment']} {r['title']}"
                        f"\t{r['fields']} 个填报项\t{r['checks']} 条审核规则"
                    )
            return
        matches = [d for d in definitions if d.code == opts["code"]]
        if opts["version"] is not None:
            matches = [d for d in matches if d.version == opts["version"]]
        if not matches:
            raise CommandError(f"没有代码为 {opts['code']} 的表单")
        definition = matches[-1]
        if opts["json"]:
            self.stdout.write(json.dumps(definition.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{definition.attachment} {definition.title}（{definition.code} v{definition.version}）"
        )
        for b in definition.blanks.values():
            self.stdout.write(f"  {b.code:8}{b.label}（{b.unit}，{b.type}）")
        for c in definition.checks:
            self.stdout.write(f"  [{c.level}] {c.id}: {c.expr}  — {c.message}")
        for d in definition.derived:
            where = "".join(f" {field}={value!r}" for field, value in d.where)
            self.stdout.write(f"  [derived] {d.code}: {d.measure} {d.records}{where}")
