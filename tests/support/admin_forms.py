"""The admin's forms as an editor's browser fills them: read a change form's current values,
set fields and inline rows, POST it back, and say why the admin refused it."""

import datetime as dt
import re
from html.parser import HTMLParser

from django.utils import timezone

from tests.support.admin_addresses import BRIEFING_ADD


class AdminFormReader(HTMLParser):
    """What a browser would submit from one form of a page, and the names of all its fields."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self.names: set[str] = set()
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id") == self.form_id
        name = attrs.get("name")
        if not self._in_form:
            return
        if tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        if not name or tag not in ("input", "textarea", "select"):
            return
        self.names.add(name)
        kind = attrs.get("type", "text")
        if tag == "input" and kind in ("submit", "button", "reset", "file"):
            return
        if tag == "input" and kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if tag == "input":
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")
        else:
            self._select, self._options = name, []

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that Django writes right after <textarea>.
            self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            if chosen:
                self.data[self._select] = chosen
            self._select = None


class AdminForm:
    """An admin change form as the editor's browser got it: its current values, ready to POST."""

    def __init__(self, response, model_name: str):
        assert response.status_code == 200
        reader = AdminFormReader(f"{model_name}_form")
        reader.feed(response.content.decode())
        assert reader.names, f"no form #{model_name}_form on the page"
        self.names = reader.names
        self.data: dict = {
            name: values if len(values) > 1 else values[0] for name, values in reader.data.items()
        }
        self.data["_save"] = "Save"

    def set(self, **fields):
        for name, value in fields.items():
            assert name in self.names, f"the form has no field {name!r}"
            self.data[name] = value

    def fill_formset(self, prefix: str, rows: list[dict]):
        """Put `rows` in the inline formset `prefix` after its saved forms, as the admin's JS does.

        A nested formset of a form added in the browser ("sections-0-bullets") is made from the
        blank template the page carries for it ("sections-empty-bullets").
        """
        template = re.sub(r"-\d+-", "-empty-", prefix)
        assert f"{template}-TOTAL_FORMS" in self.names, f"the form has no formset {prefix!r}"
        if f"{prefix}-TOTAL_FORMS" not in self.data:
            for key in ("MIN_NUM_FORMS", "MAX_NUM_FORMS"):
                self.data[f"{prefix}-{key}"] = self.data[f"{template}-{key}"]
            self.data[f"{prefix}-INITIAL_FORMS"] = "0"
        saved = int(self.data[f"{prefix}-INITIAL_FORMS"])
        for index, row in enumerate(rows, start=saved):
            for field, value in row.items():
                assert f"{template}-__prefix__-{field}" in self.names, f"no {field} in {prefix}"
                self.data[f"{prefix}-{index}-{field}"] = value
        self.data[f"{prefix}-TOTAL_FORMS"] = str(saved + len(rows))


def form_errors(response) -> list:
    """Why the admin did not save: the errors of its form and of every (nested) inline form."""
    found = [response.context["adminform"].form.errors]
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    while formsets:
        formset = formsets.pop()
        found += [formset.non_form_errors(), *formset.errors]
        formsets += [nested for form in formset for nested in getattr(form, "nested_formsets", [])]
    return [errors for errors in found if errors]


def local_date_and_time(moment: dt.datetime) -> dict[str, str]:
    """The admin's split date/time inputs for `moment`, in the site's time zone."""
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def add_briefing_in_admin(
    client, fields, figure=None, overview=(), sections=(), section_figures=None
):
    """GET the briefing add form, fill it in as an editor would, POST it back."""
    form = AdminForm(client.get(BRIEFING_ADD), "briefing")
    form.set(**fields)
    form.fill_formset("lead_figure", [figure] if figure else [])
    form.fill_formset("bullets", [{"text": text, "position": n} for n, text in enumerate(overview)])
    form.fill_formset(
        "sections",
        [{"title": title, "position": n} for n, (title, _) in enumerate(sections)],
    )
    for n, (_, bullets) in enumerate(sections):
        form.fill_formset(
            f"sections-{n}-bullets",
            [{"text": text, "position": i} for i, text in enumerate(bullets)],
        )
        section_figure = (section_figures or {}).get(n)
        form.fill_formset(f"sections-{n}-figure", [section_figure] if section_figure else [])
    response = client.post(BRIEFING_ADD, form.data)
    assert response.status_code == 302, form_errors(response)
    return response


def briefing_fields(published_at, **overrides) -> dict[str, str]:
    return {
        "series": "Spotlight on Iran",
        "period_start": "2020-10-01",
        "period_end": "2020-10-18",
        "title": "",
        "language": "en",
        "tags": ["Iran", "Syria"],
        "status": "published",
        **local_date_and_time(published_at),
        **overrides,
    }
