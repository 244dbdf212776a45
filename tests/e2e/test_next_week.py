"""An editor selects last week's briefing in the list, runs "Start next week's briefing", and
lands on the new draft's change form: same series, editor and section titles, the following
period, no bullets yet."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from briefings.models import Briefing
from tests.e2e.admin_pages import PASSWORD, admin_url, log_in, wait

pytestmark = pytest.mark.e2e


def test_start_next_weeks_briefing_from_the_change_list(demo_site, browser):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    source = Briefing.objects.published().latest("published_at")
    section_titles = [section.title for section in source.sections.all()]
    assert section_titles
    log_in(browser, demo_site.url, "editor")

    browser.get(admin_url(demo_site.url, "briefings/briefing/"))
    browser.find_element(By.CSS_SELECTOR, f"input.action-select[value='{source.pk}']").click()
    action = Select(browser.find_element(By.NAME, "action"))
    assert "Start next week's briefing" in [option.text for option in action.options]
    action.select_by_value("start_next_briefing")
    browser.find_element(By.CSS_SELECTOR, "#changelist-form button[name=index]").click()

    wait(browser).until(lambda driver: "/change/" in driver.current_url)
    draft = Briefing.objects.exclude(pk__in=[source.pk]).latest("created_at")
    assert f"/{draft.pk}/change/" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ".messagelist .success")

    def form_value(name: str) -> str:
        return browser.find_element(By.NAME, name).get_attribute("value")

    assert form_value("series") == source.series
    assert form_value("editor") == str(source.editor_id)
    assert form_value("status") == "draft"
    assert form_value("period_start") == (source.period_end + dt.timedelta(days=1)).isoformat()
    titles = browser.find_elements(By.CSS_SELECTOR, "#sections-group input[name$='-title']")
    assert [title.get_attribute("value") for title in titles if title.is_displayed()] == (
        section_titles
    )
    assert not [
        text
        for text in browser.find_elements(By.CSS_SELECTOR, "textarea[name$='-text']")
        if text.get_attribute("value").strip()
    ]
