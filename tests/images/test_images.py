"""Captioned images: uploads checked by content, stored without metadata, served as renditions."""

import io
import re
import tracemalloc

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.forms import modelform_factory
from PIL import Image, features

from articles.models import ArticleFigure
from briefings.models import Figure, SectionFigure
from images.checks import check_image
from publishing.content_version import PendingChange
from tests.support.admin_forms import AdminForm, add_briefing_in_admin, briefing_fields, form_errors
from tests.support.factories import ArticleFactory, BriefingFactory, FigureFactory
from tests.support.images import (
    BODY_SERIAL,
    CAMERA_SERIAL,
    EXIF_IFD,
    GPS_IFD,
    HTML,
    MAKE,
    SVG,
    photo,
    photo_with_gps,
    png_bomb,
    upload,
)

pytestmark = pytest.mark.django_db

WIDTHS = [480, 800, 1200, 1600]


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return png_bomb(20_000, 20_000)


def truncated_jpeg() -> bytes:
    whole = photo(800, 600)
    return whole[: len(whole) // 2]


def refused_uploads(bomb: bytes) -> dict[str, tuple]:
    """Each refused file, with the words its form error must contain."""
    oversized = photo(64, 48) + b"\0" * (20 * 1024 * 1024)  # a real JPEG, padded past 20 MB
    return {
        "svg": (upload("logo.svg", SVG, "image/svg+xml"), "not one of those"),
        "html renamed .jpg": (upload("photo.jpg", HTML), "not one of those"),
        "truncated jpeg": (upload("cut.jpg", truncated_jpeg()), "damaged or incomplete"),
        "20,000 × 20,000 png": (upload("bomb.png", bomb, "image/png"), "400 megapixels"),
        "oversized": (upload("huge.jpg", oversized), "the limit is 20.0\xa0MB"),
    }


def stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


# --- Refused uploads ------------------------------------------------------------------------

CASES = ["svg", "html renamed .jpg", "truncated jpeg", "20,000 × 20,000 png", "oversized"]


@pytest.mark.parametrize("case", CASES)
def test_the_admin_refuses_a_bad_upload_with_a_form_error_and_stores_nothing(
    admin_client, settings, bomb, case
):
    briefing = BriefingFactory()
    url = f"/{settings.ADMIN_URL}briefings/briefing/{briefing.pk}/change/"
    file, words = refused_uploads(bomb)[case]
    form = AdminForm(admin_client.get(url), "briefing")
    form.fill_formset("lead_figure", [{"image": file, "alt": "Something", "caption": "C"}])

    response = admin_client.post(url, form.data)

    assert response.status_code == 200
    [errors] = form_errors(response)
    assert words in " ".join(errors["image"]), errors
    assert not Figure.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("case", CASES)
def test_a_model_form_refuses_a_bad_upload(settings, bomb, case):
    FigureForm = modelform_factory(Figure, fields=["briefing", "image", "alt"])
    file, words = refused_uploads(bomb)[case]
    form = FigureForm({"briefing": BriefingFactory().pk, "alt": "x"}, {"image": file})

    assert not form.is_valid()
    assert words in " ".join(form.errors["image"])
    assert stored_files(settings) == []


def test_the_pixel_limit_is_checked_from_the_header_without_decoding(bomb):
    """Decoding the bomb would take 400 MB even as one-bit pixels (1.2 GB as RGB)."""
    tracemalloc.start()
    with pytest.raises(Exception, match="megapixels"):
        check_image(upload("bomb.png", bomb, "image/png"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_limits_come_from_settings(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(Exception, match=r"1,200 × 1,000 pixels .* limit is 1 megapixels"):
        check_image(upload("wide.png", photo(1200, 1000, "PNG"), "image/png"))
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(Exception, match="the limit is 1000"):
        check_image(upload("small.jpg", photo(200, 200)))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_the_four_formats_are_accepted_whatever_the_file_is_called(image_format):
    checked = check_image(upload("no-extension", photo(40, 30, image_format)))
    assert (checked.format, checked.width, checked.height) == (image_format, 40, 30)


def test_other_image_formats_are_refused():
    with pytest.raises(Exception, match="not one of those"):
        check_image(upload("scan.bmp", photo(40, 30, "BMP")))


# --- Normalised and rendered on save --------------------------------------------------------


def exif_of(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif(), image.size, image.format


def test_a_photo_with_gps_exif_is_stored_upright_and_its_renditions_carry_no_metadata(
    admin_client, settings
):
    briefing = BriefingFactory()
    url = f"/{settings.ADMIN_URL}briefings/briefing/{briefing.pk}/change/"
    form = AdminForm(admin_client.get(url), "briefing")
    form.fill_formset(
        "lead_figure", [{"image": upload("gps.jpg", photo_with_gps(1000, 600)), "alt": "Port"}]
    )
    assert admin_client.post(url, form.data).status_code == 302

    figure = Figure.objects.get()
    served = [figure.image.name, *(r["name"] for r in figure.renditions)]
    assert len(served) > 1
    for name in served:
        data = default_storage.open(name).read()
        exif, (width, height), _ = exif_of(data)
        assert not exif.get_ifd(GPS_IFD) and not exif.get_ifd(EXIF_IFD), name
        assert CAMERA_SERIAL.encode() not in data and b"Camera Maker" not in data
        assert height > width, f"{name} is not turned upright"
    # The source did carry them: the test would see them if they were kept.
    source_exif, _, _ = exif_of(photo_with_gps())
    assert source_exif.get_ifd(EXIF_IFD)[BODY_SERIAL] == CAMERA_SERIAL
    assert (figure.image_width, figure.image_height) == (600, 1000)


def test_renditions_are_made_once_in_each_format_at_the_widths_up_to_the_originals():
    figure = FigureFactory(image=upload("wide.jpg", photo(2000, 1000)), alt="Wide")

    formats = {"image/webp", "image/jpeg"} | ({"image/avif"} if features.check("avif") else set())
    assert {r["type"] for r in figure.renditions} == formats
    for mime in formats:
        renditions = [r for r in figure.renditions if r["type"] == mime]
        assert [r["width"] for r in renditions] == WIDTHS
        assert [r["height"] for r in renditions] == [w // 2 for w in WIDTHS]
    for rendition in figure.renditions:
        with Image.open(default_storage.open(rendition["name"])) as image:
            assert image.size == (rendition["width"], rendition["height"])
            assert Image.MIME[image.format] == rendition["type"]
    assert figure.image.name.startswith("figures/")
    assert figure.renditions[0]["name"].startswith("renditions/" + figure.image.name[:-4])


def test_a_narrow_image_is_never_enlarged():
    figure = FigureFactory(image=upload("narrow.png", photo(600, 300, "PNG"), "image/png"), alt="N")
    assert sorted({r["width"] for r in figure.renditions}) == [480, 600]
    assert {r["type"] for r in figure.renditions} >= {"image/webp", "image/png"}


def test_an_upload_is_stored_under_the_extension_of_what_it_is():
    figure = FigureFactory(image=upload("really-a-png.jpg", photo(100, 80, "PNG")), alt="x")
    assert figure.image.name.endswith("really-a-png.png")


def test_an_animated_gif_keeps_its_frames_and_is_served_as_it_is():
    frames = [Image.new("RGB", (60, 40), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    with Image.open(buffer) as source:
        assert source.n_frames == 3
    figure = FigureFactory(image=upload("anim.gif", buffer.getvalue(), "image/gif"), alt="A")
    with Image.open(default_storage.open(figure.image.name)) as stored:
        assert stored.n_frames == 3
    assert figure.renditions == []
    assert figure.picture.src == figure.image.url


# --- Replaced and deleted -------------------------------------------------------------------


def files_of(figure) -> list[str]:
    return [figure.image.name, *(r["name"] for r in figure.renditions)]


def test_replacing_an_image_removes_the_old_one_and_its_renditions(
    django_capture_on_commit_callbacks,
):
    figure = FigureFactory(image=upload("first.jpg", photo(900, 600)), alt="First")
    old = files_of(Figure.objects.get())
    assert all(default_storage.exists(name) for name in old)

    figure = Figure.objects.get()
    figure.image = upload("second.jpg", photo(700, 500))
    with django_capture_on_commit_callbacks(execute=True):
        figure.save()

    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in files_of(figure))


def test_clearing_an_image_removes_its_files(django_capture_on_commit_callbacks):
    FigureFactory(image=upload("first.jpg", photo(900, 600)), alt="First")
    figure = Figure.objects.get()
    old = files_of(figure)
    figure.image = None
    with django_capture_on_commit_callbacks(execute=True):
        figure.save()
    assert not any(default_storage.exists(name) for name in old)
    assert (figure.renditions, figure.image_width) == ([], None)


def test_deleting_a_briefing_removes_its_figures_files(django_capture_on_commit_callbacks):
    figure = FigureFactory(image=upload("lead.jpg", photo(900, 600)), alt="Lead")
    names = files_of(figure)
    with django_capture_on_commit_callbacks(execute=True):
        figure.briefing.delete()  # a cascade: Figure.delete() is not called
    assert not any(default_storage.exists(name) for name in names)


def test_files_another_figure_still_uses_are_kept(django_capture_on_commit_callbacks):
    first = FigureFactory(image=upload("shared.jpg", photo(900, 600)), alt="Shared")
    ArticleFigure.objects.create(
        article=ArticleFactory(), image=first.image.name, renditions=first.renditions, alt="Same"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert all(default_storage.exists(name) for name in files_of(first))


def test_nothing_is_removed_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    figure = FigureFactory(image=upload("kept.jpg", photo(900, 600)), alt="Kept")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Figure.objects.get().delete()
    owners = [getattr(callback, "__self__", None) for callback in callbacks]
    removals = [owner for owner in owners if not isinstance(owner, PendingChange)]
    assert len(removals) == 1  # deferred to the commit, which a rollback never reaches
    assert all(default_storage.exists(name) for name in files_of(figure))


# --- Served ---------------------------------------------------------------------------------


def img_tag(html: str) -> str:
    return re.search(r"<img [^>]*>", html.split("<main", 1)[-1]).group()


def test_the_briefing_page_serves_a_picture_with_srcset_sizes_and_dimensions(client):
    figure = FigureFactory(image=upload("lead.jpg", photo(4000, 2250)), alt="Cranes at the port")
    html = client.get(figure.briefing.get_absolute_url()).content.decode()

    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)"', html)
    assert webp, html
    assert [int(w) for w in re.findall(r" (\d+)w", webp.group(1))] == WIDTHS
    assert all(".webp" in candidate for candidate in webp.group(1).split(", "))
    img = img_tag(html)
    assert 'width="4000" height="2250"' in img
    assert [int(w) for w in re.findall(r" (\d+)w", re.search(r'srcset="([^"]+)"', img)[1])] == (
        WIDTHS
    )
    assert 'alt="Cranes at the port"' in img
    assert 'fetchpriority="high"' in img and "loading=" not in img  # the lead is above the fold
    if features.check("avif"):
        assert html.index('type="image/avif"') < html.index('type="image/webp"')


def test_an_excerpts_figures_load_lazily(client):
    article = ArticleFactory()
    ArticleFigure.objects.create(
        article=article, image=upload("chart.png", photo(900, 600, "PNG"), "image/png"), alt="A"
    )
    img = img_tag(client.get(article.get_absolute_url()).content.decode())
    assert 'loading="lazy"' in img and 'width="900" height="600"' in img


def test_a_figure_without_its_file_shows_caption_and_credit_without_a_placeholder(client):
    figure = FigureFactory(caption="Delegates at the crossing", credit="IRNA, June 2, 2021")
    html = client.get(figure.briefing.get_absolute_url()).content.decode()
    assert 'class="figure figure-missing"' in html
    assert "figure-placeholder" not in html and "Image not available" not in html
    assert "Delegates at the crossing" in html and "(IRNA, June 2, 2021)" in html
    assert "<img " not in html.split("<main", 1)[-1]


def test_a_figure_with_neither_file_nor_caption_shows_nothing(client):
    figure = FigureFactory(caption="", credit="")
    html = client.get(figure.briefing.get_absolute_url()).content.decode()
    assert "<figure" not in html


# --- Admin ----------------------------------------------------------------------------------


def test_an_editor_sees_a_thumbnail_of_the_smallest_rendition(admin_client):
    figure = FigureFactory(image=upload("lead.jpg", photo(1600, 900)), alt="Lead")
    smallest = default_storage.url(
        min((r for r in figure.renditions if r["type"] == "image/webp"), key=lambda r: r["width"])[
            "name"
        ]
    )
    assert smallest.endswith("-480w.webp")
    for url in [
        f"/{settings.ADMIN_URL}briefings/briefing/{figure.briefing.pk}/change/",
        f"/{settings.ADMIN_URL}briefings/figure/{figure.pk}/change/",
        f"/{settings.ADMIN_URL}briefings/figure/",
    ]:
        html = admin_client.get(url).content.decode()
        assert f'<img src="{smallest}" alt="" width="160" height="90">' in html, url


def test_the_missing_image_filter_lists_figures_still_without_their_file(admin_client):
    with_file = FigureFactory(caption="Has a file", image=upload("a.jpg", photo(600, 400)), alt="A")
    without = FigureFactory(caption="Imported without its file")
    article = ArticleFactory()
    ArticleFigure.objects.create(article=article, caption="Excerpt figure without a file")

    missing = admin_client.get(
        f"/{settings.ADMIN_URL}briefings/figure/?image=missing"
    ).content.decode()
    assert without.caption in missing and with_file.caption not in missing
    present = admin_client.get(
        f"/{settings.ADMIN_URL}briefings/figure/?image=present"
    ).content.decode()
    assert with_file.caption in present and without.caption not in present
    excerpts = admin_client.get(
        f"/{settings.ADMIN_URL}articles/articlefigure/?image=missing"
    ).content.decode()
    assert "Excerpt figure without a file" in excerpts


# --- Sections ---------------------------------------------------------------------------------


def test_an_editor_gives_a_section_an_image_in_the_nested_admin(admin_client, yesterday):
    response = add_briefing_in_admin(
        admin_client,
        briefing_fields(yesterday),
        sections=[("Iran", ["A bullet."]), ("Syria", ["Another bullet."])],
        section_figures={1: {"image": upload("dam.jpg", photo(1000, 500)), "alt": "A dam"}},
    )
    assert response.status_code == 302, form_errors(response)

    figure = SectionFigure.objects.get()
    assert figure.section.title == "Syria" and figure.renditions
    html = admin_client.get(figure.section.briefing.get_absolute_url()).content.decode()
    syria = html[html.index(">Syria</h2>") :]
    assert 'alt="A dam"' in syria and 'loading="lazy"' in img_tag(syria)
    assert 'alt="A dam"' not in html[: html.index(">Syria</h2>")]


# --- Figures stored before renditions --------------------------------------------------------


def test_make_renditions_restores_older_figures_without_their_metadata(
    django_capture_on_commit_callbacks,
):
    old_name = default_storage.save("figures/2021/03/old.jpg", io.BytesIO(photo_with_gps()))
    figure = FigureFactory(alt="Old")
    Figure.objects.filter(pk=figure.pk).update(image=old_name)
    broken = FigureFactory(alt="Broken")
    Figure.objects.filter(pk=broken.pk).update(
        image=default_storage.save("figures/2021/03/broken.jpg", io.BytesIO(HTML))
    )

    out, err = io.StringIO(), io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=out, stderr=err)

    figure.refresh_from_db()
    assert "1 figures updated, 1 failed" in out.getvalue() and "broken.jpg" in err.getvalue()
    assert figure.renditions and figure.image.name != old_name
    assert not default_storage.exists(old_name)
    exif, size, _ = exif_of(default_storage.open(figure.image.name).read())
    assert not exif.get_ifd(GPS_IFD) and size == (600, 1000)
    call_command("make_renditions", stdout=out, stderr=io.StringIO())
    assert "0 figures updated" in out.getvalue()


def test_an_animation_whose_frames_together_exceed_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    frames = [Image.new("RGB", (200, 200), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(Exception, match="3 frames have more pixels together"):
        check_image(upload("anim.gif", buffer.getvalue(), "image/gif"))


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_metadata_is_stripped_from_png_and_webp_uploads_too(image_format):
    exif = Image.Exif()
    exif[MAKE] = "Camera Maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0)})
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = CAMERA_SERIAL
    data = photo(300, 200, image_format, exif=exif)
    assert CAMERA_SERIAL.encode() in data

    figure = FigureFactory(image=upload("tagged", data), alt="Tagged")
    for name in [figure.image.name, *(r["name"] for r in figure.renditions)]:
        stored = default_storage.open(name).read()
        assert CAMERA_SERIAL.encode() not in stored, name
        assert not exif_of(stored)[0].get_ifd(GPS_IFD), name
