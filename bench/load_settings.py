"""The production settings, serving bench/load_urls.py: the site plus the floor view."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
