"""What an editor does in the admin, as steps in a browser."""

from django.conf import settings
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

PASSWORD = "a-real-Passw0rd-for-e2e"


def admin_url(base_url: str, path: str = "") -> str:
    return f"{base_url}/{settings.ADMIN_URL}{path}"


def log_in(driver: WebDriver, base_url: str, username: str) -> None:
    """Through the login form, as django-axes sees every attempt."""
    driver.get(admin_url(base_url, "login/"))
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
    wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "logout-form")))


def wait(driver: WebDriver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def fill(driver: WebDriver, name: str, text: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def click_add_another(driver: WebDriver, inside: str, model: str) -> None:
    """nested_admin's "Add another …" link of the inline of `model` within `inside` (CSS)."""
    link = driver.find_element(
        By.CSS_SELECTOR, f"{inside} .djn-add-handler.djn-model-briefings-{model}"
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()


def save(driver: WebDriver, button: str = "_continue") -> str:
    """Saves the change form; returns the success message, or fails with the form's errors."""
    driver.find_element(By.NAME, button).click()
    outcome = wait(driver).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote")
    )[0]
    errors = [error.text for error in driver.find_elements(By.CSS_SELECTOR, ".errorlist")]
    assert "errornote" not in outcome.get_attribute("class"), (outcome.text, errors)
    return outcome.text


def choose_tag(driver: WebDriver, typed: str, option: str) -> None:
    """Types `typed` into the tag box and picks the suggestion shown as `option`."""
    box = driver.find_element(By.CSS_SELECTOR, "select[name=tags] + .select2 .select2-selection")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    search = wait(driver).until(
        expected_conditions.visibility_of_element_located(
            (By.CSS_SELECTOR, ".select2-container--open .select2-search__field")
        )
    )
    search.send_keys(typed)
    wait(driver).until(
        lambda d: [
            found
            for found in d.find_elements(By.CSS_SELECTOR, ".select2-results__option")
            if found.text == option
        ]
    )[0].click()


def chosen_tags(driver: WebDriver) -> list[str]:
    """The tags the tag box holds, as the editor sees them."""
    chips = driver.find_elements(
        By.CSS_SELECTOR, "select[name=tags] + .select2 .select2-selection__choice"
    )
    return [chip.get_attribute("title") or chip.text.lstrip("×").strip() for chip in chips]
