"""An editor, logged in through the form, writes a briefing in the admin (lead image,
overview, two sections of bullets), reorders bullets by dragging them, previews it, schedules
it, and a reader in a browser of their own sees it on the home page once its time has come."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image, ImageDraw
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from taggit.models import Tag

from briefings.models import Briefing
from tests.e2e.admin_pages import (
    PASSWORD,
    admin_url,
    choose_tag,
    chosen_tags,
    click_add_another,
    fill,
    log_in,
    save,
    wait,
)
from tests.e2e.screenshots import save_screenshot

pytestmark = pytest.mark.e2e

SCHEDULED_AHEAD = dt.timedelta(seconds=8)


def lead_image(folder) -> str:
    """A small PNG of a horizon under a sky, for the upload."""
    sky = Image.linear_gradient("L").resize((1200, 675))  # dark above, light at the horizon
    image = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 40 + v // 2),
            sky.point(lambda v: 70 + v // 2),
            sky.point(lambda v: 120 + v // 2),
        ),
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 470, 1200, 675], fill=(196, 164, 112))
    draw.ellipse([820, 140, 960, 280], fill=(250, 222, 160))
    path = folder / "lead.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    path.write_bytes(buffer.getvalue())
    return str(path)


def drag_above(browser, row, target_row) -> None:
    """Drags a bullet's row by its handle to just above another row."""
    handle = row.find_element(By.CSS_SELECTOR, ".djn-drag-handler")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", target_row)
    offset = target_row.location["y"] - handle.location["y"] - 5
    (
        ActionChains(browser, duration=100)
        .click_and_hold(handle)
        .move_by_offset(0, offset // 2)
        .move_by_offset(0, offset - offset // 2)
        .pause(0.3)
        .release()
        .perform()
    )


def bullet_texts(browser, selector: str) -> list[str]:
    return [li.text for li in browser.find_elements(By.CSS_SELECTOR, f"{selector} .bullets li")]


def test_editor_writes_reorders_previews_schedules_and_readers_see_it(
    demo_site, open_browser, tmp_path, time_machine
):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    editor = open_browser()
    log_in(editor, demo_site.url, "editor")

    editor.get(admin_url(demo_site.url, "briefings/briefing/add/"))
    fill(editor, "series", "Gulf Watch")
    fill(editor, "publisher", "Centre for Regional Studies")
    today = timezone.localdate()
    fill(editor, "period_start", (today - dt.timedelta(days=6)).isoformat())
    fill(editor, "period_end", today.isoformat())
    choose_tag(editor, "Oman", "New tag: Oman")

    editor.find_element(By.NAME, "lead_figure-0-image").send_keys(lead_image(tmp_path))
    fill(editor, "lead_figure-0-alt", "The desert at dusk under a clear sky")
    fill(editor, "lead_figure-0-caption", "Dusk over the coast road")
    fill(editor, "lead_figure-0-credit", "Newsroom, e2e")

    click_add_another(editor, "#bullets-group", "bullet")
    fill(
        editor, "bullets-0-text", "Muscat hosted a *second round* of talks (Oman Observer, May 2)."
    )
    click_add_another(editor, "#bullets-group", "bullet")
    fill(editor, "bullets-1-text", "Shipping insurers cut their premiums for the Gulf.")

    for number, title in enumerate(["Diplomacy", "Economy"]):
        click_add_another(editor, "#sections-group", "section")
        fill(editor, f"sections-{number}-title", title)
        section = f"#sections-{number}"
        if not editor.find_elements(By.NAME, f"sections-{number}-bullets-0-text"):
            click_add_another(editor, section, "bullet")
        click_add_another(editor, section, "bullet")
    fill(editor, "sections-0-bullets-0-text", "Later: the envoys met again on Friday.")
    fill(editor, "sections-0-bullets-1-text", "Earlier: the envoys met on Monday.")
    fill(editor, "sections-1-bullets-0-text", "Oil exports rose for a third week.")
    fill(editor, "sections-1-bullets-1-text", "The port of Duqm opened a new berth.")
    assert "was added successfully" in save(editor)
    briefing = Briefing.objects.get(series="Gulf Watch")
    assert briefing.status == "draft"
    assert editor.find_element(By.CSS_SELECTOR, ".field-thumbnail img")
    save_screenshot(editor, "admin-briefing-editor", max_height=3400)  # down to the sections

    # The envoys' Monday meeting goes first: its row dragged above Friday's.
    rows = editor.find_elements(By.CSS_SELECTOR, "#sections-0 .djn-tbody.djn-item")
    drag_above(editor, rows[1], rows[0])
    assert "was changed successfully" in save(editor)

    # Preview: the draft at its public address, for staff only, marked as a preview.
    change_form = editor.current_url
    editor.find_element(By.CSS_SELECTOR, "a.viewsitelink").click()
    assert editor.find_element(By.CSS_SELECTOR, ".preview-banner")
    assert editor.find_element(By.TAG_NAME, "h1").text == briefing.title
    assert bullet_texts(editor, ".briefing-section:nth-of-type(2)") == [
        "Earlier: the envoys met on Monday.",
        "Later: the envoys met again on Friday.",
    ]
    lead = editor.find_element(By.CSS_SELECTOR, ".figure img")
    assert editor.execute_script("return arguments[0].naturalWidth", lead) > 0
    editor.get(change_form)

    # Scheduled: published, a few seconds from now.
    reader = open_browser()
    when = timezone.localtime() + SCHEDULED_AHEAD
    Select(editor.find_element(By.NAME, "status")).select_by_value("published")
    fill(editor, "published_at_0", when.date().isoformat())
    fill(editor, "published_at_1", when.strftime("%H:%M:%S"))
    assert "was changed successfully" in save(editor)
    briefing.refresh_from_db()
    assert briefing.is_scheduled

    reader.get(demo_site.url + "/")
    assert not reader.find_elements(By.LINK_TEXT, briefing.title)
    reader.get(demo_site.url + briefing.get_absolute_url())
    assert "preview-banner" not in reader.page_source
    assert reader.find_element(By.TAG_NAME, "h1").text != briefing.title

    # The live server runs in this process: its clock moves on to the publication.
    time_machine.move_to(briefing.published_at + dt.timedelta(seconds=0.5), tick=True)
    reader.get(demo_site.url + "/")
    wait(reader).until(lambda driver: driver.find_elements(By.LINK_TEXT, briefing.title))
    reader.find_element(By.LINK_TEXT, briefing.title).click()
    assert not reader.find_elements(By.CSS_SELECTOR, ".preview-banner")
    assert bullet_texts(reader, ".overview") == [
        "Muscat hosted a second round of talks (Oman Observer, May 2).",
        "Shipping insurers cut their premiums for the Gulf.",
    ]


def test_editor_picks_a_suggested_tag_adds_a_new_one_and_previews_a_bullet(demo_site, browser):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    log_in(browser, demo_site.url, "editor")
    browser.get(admin_url(demo_site.url, "briefings/briefing/add/"))
    fill(browser, "series", "Levant Watch")
    fill(browser, "period_start", "2021-03-01")
    fill(browser, "period_end", "2021-03-07")

    # Part of a name finds the tag; the name no tag has yet is added only when chosen.
    choose_tag(browser, "ezbol", "Hezbollah")
    choose_tag(browser, "Levant ports", "New tag: Levant ports")
    assert chosen_tags(browser) == ["Hezbollah", "Levant ports"]

    assert not browser.find_elements(By.NAME, "bullets-0-text")  # no empty row unasked
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name$='-position']:not([type=hidden])")
    click_add_another(browser, "#bullets-group", "bullet")
    fill(
        browser,
        "bullets-0-text",
        "Beirut port *reopened* [fully](javascript:alert(1)) (Naharnet, March 3).",
    )
    row = browser.find_element(By.CSS_SELECTOR, "#bullets-group .djn-item:not(.djn-empty-form)")
    row.find_element(By.CSS_SELECTOR, ".bullet-preview-button").click()
    shown = wait(browser).until(
        lambda d: row.find_element(By.CSS_SELECTOR, ".bullet-preview").get_attribute("innerHTML")
    )
    assert "<li>Beirut port <em>reopened</em> <a" in shown
    assert "javascript" not in shown
    save_screenshot(browser, "admin-bullet-preview", max_height=2000)

    assert "was added successfully" in save(browser)
    briefing = Briefing.objects.get(series="Levant Watch")
    assert sorted(briefing.tags.names()) == ["Hezbollah", "Levant ports"]
    assert Tag.objects.filter(name__iexact="hezbollah").count() == 1
    bullet = briefing.bullets.get()
    assert f"<li>{bullet.text_html}</li>" in shown
