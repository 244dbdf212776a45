"""What a reader gets while the database is out of reach."""


def assert_maintenance_page(status: int, headers: dict, page: str) -> None:
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Down for maintenance" in page
    assert "Traceback" not in page and "Error" not in page
