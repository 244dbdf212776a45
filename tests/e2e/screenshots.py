"""Screenshots for the README (docs/screenshots/), taken as the e2e run goes."""

from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e.paths import SCREENSHOTS

WIDTH = 1280
MAX_HEIGHT = 1600  # long pages are cut: the README shows their top


def save_screenshot(
    driver: WebDriver, name: str, max_height: int = MAX_HEIGHT, width: int = WIDTH
) -> None:
    """The whole page, `width` pixels wide and up to `max_height` high, as
    docs/screenshots/<name>.png."""
    size = driver.get_window_size()
    driver.set_window_size(width, size["height"])
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height, max_height))
    driver.execute_script("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    driver.set_window_size(size["width"], size["height"])
