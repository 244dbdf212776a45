"""The deployed site's settings, serving the uploads too: with DEBUG off Django serves no media
(a web server does in production), and Lighthouse should load the pages' images."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "tests.e2e.urls"
