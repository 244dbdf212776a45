"""Every kind of public page in both languages passes axe-core (WCAG A and AA rules, colour
contrast among them) with no serious or critical violation, and the home page works from the
keyboard alone: the skip link comes first, leads into the content, and each link and button
shows where the focus is."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.e2e.axe import blocking_violations
from tests.e2e.pages import every_page

pytestmark = pytest.mark.e2e

# How the focused element shows it: an outline (ours, from :focus-visible) that is drawn.
FOCUS_STATE = """
const element = document.activeElement;
const style = getComputedStyle(element);
return {
  tag: element.tagName.toLowerCase(),
  text: (element.textContent || element.value || "").trim().slice(0, 40),
  href: element.getAttribute("href"),
  id: element.id,
  focusVisible: element.matches(":focus-visible"),
  outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
};
"""
MAX_TABS = 300


def test_no_serious_or_critical_violation_on_any_page_type(demo_site, browser):
    found = {}
    for label, path in every_page():
        browser.get(demo_site.url + path)
        if violations := blocking_violations(browser):
            found[label] = violations
    assert found == {}


def press_tab(browser) -> dict:
    ActionChains(browser).send_keys(Keys.TAB).perform()
    return browser.execute_script(FOCUS_STATE)


def test_keyboard_alone_skip_link_first_then_visible_focus_everywhere(demo_site, browser):
    browser.get(demo_site.url + "/")
    first = press_tab(browser)
    assert (first["tag"], first["href"]) == ("a", "#main")
    assert first["focusVisible"] and first["outline"]

    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"

    # From the content on, every stop shows the focus, until Tab wraps round past the end.
    reached, invisible = [], []
    for _ in range(MAX_TABS):
        state = press_tab(browser)
        if state["tag"] == "body" or state["href"] == "#main":
            break
        reached.append(state)
        if not (state["focusVisible"] and state["outline"]):
            invisible.append(state)
    else:
        pytest.fail(f"Tab did not come round after {MAX_TABS} stops")
    assert len(reached) > 10
    assert {"a"} <= {state["tag"] for state in reached}
    assert invisible == []
