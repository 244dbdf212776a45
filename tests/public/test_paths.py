"""Items' addresses made from a remembered pattern are exactly what reverse() makes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from publishing.paths import dated_path

# Just before midnight in UTC is already the next day in the site's time zone (Berlin).
LATE_EVENING_UTC = dt.datetime(2020, 12, 31, 23, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("viewname", ["articles:detail", "briefings:detail"])
@pytest.mark.parametrize("slug", ["iran-in-syria", "kurdistan_2020", "a"])
def test_dated_path_is_the_reversed_address(language, viewname, slug):
    with translation.override(language):
        local = timezone.localtime(LATE_EVENING_UTC)
        kwargs = {"year": "2021", "month": "01", "day": "01", "slug": slug}
        assert (local.year, local.month, local.day) == (2021, 1, 1)
        assert dated_path(viewname, LATE_EVENING_UTC, slug) == reverse(viewname, kwargs=kwargs)
