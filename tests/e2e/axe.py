"""axe-core run inside the page the browser shows; WebDriver's scripts are not subject to the
page's Content-Security-Policy, so nothing has to be loosened for it."""

from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e.paths import AXE_JS

# What a person who relies on assistive technology cannot work around.
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then(results => done(results.violations))
  .catch(error => done([{id: "axe-error", impact: "critical", help: String(error), nodes: []}]));
"""


def blocking_violations(driver: WebDriver) -> list[str]:
    """Serious and critical violations on the current page, one line each with the elements."""
    driver.execute_script(AXE_JS.read_text())
    violations = driver.execute_async_script(RUN_AXE)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]
