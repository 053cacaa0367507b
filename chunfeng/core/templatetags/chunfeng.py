from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}`` — a dict lookup with a variable key ('' when absent)."""
    return (mapping or {}).get(key, "")


@register.filter
def blank_dom_id(code: str) -> str:
    return "b-" + str(code).replace(".", "-")
