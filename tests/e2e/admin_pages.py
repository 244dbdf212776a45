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
