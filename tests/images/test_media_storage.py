"""Media in S3-compatible object storage (moto's server standing in for it), shared by every
app server: uploads, renditions and the addresses pages give them."""

import json
import time
import urllib.request
from urllib.parse import urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer

from briefings.models import Figure
from tests.support.factories import FigureFactory
from tests.support.images import photo, upload
from tests.support.manage_process import manage
from tests.support.tcp_proxy import SwitchableProxy

pytestmark = pytest.mark.django_db
BUCKET = "newsroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    # As in production (README): readers fetch images by their plain, unsigned address.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "querystring_auth": False,
                "file_overwrite": False,
                **CREDENTIALS,
            },
        },
    }
    yield client
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_upload_stores_the_original_and_renditions_in_the_bucket_and_the_page_serves_them(
    bucket, client, settings, s3_endpoint
):
    figure = FigureFactory(image=upload("port.jpg", photo(1300, 800)), alt="Port")

    assert keys(bucket) == {figure.image.name, *(r["name"] for r in figure.renditions)}
    assert not (settings.MEDIA_ROOT.exists() and any(settings.MEDIA_ROOT.rglob("*.*")))
    html = client.get(figure.briefing.get_absolute_url()).content.decode()
    served = figure.picture.src
    assert served.startswith(f"{s3_endpoint}/{BUCKET}/renditions/figures/")
    assert served in html and f"{s3_endpoint}/{BUCKET}/renditions/" in html.split("srcset=")[1]
    with urllib.request.urlopen(served) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.read(3) == b"\xff\xd8\xff"


def test_deleting_a_figure_removes_its_objects(bucket, django_capture_on_commit_callbacks):
    FigureFactory(image=upload("port.jpg", photo(900, 600)), alt="Port")
    assert keys(bucket)
    with django_capture_on_commit_callbacks(execute=True):
        Figure.objects.get().delete()
    assert keys(bucket) == set()


def test_a_bucket_in_the_environment_selects_object_storage():
    script = "from django.conf import settings; print(settings.STORAGES['default'])"
    result = manage(
        "shell",
        "-c",
        script,
        SECRET_KEY="x",
        AWS_STORAGE_BUCKET_NAME="media-bucket",
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
    )
    assert "storages.backends.s3.S3Storage" in result.stdout, result.stderr
    assert "'bucket_name': 'media-bucket'" in result.stdout
    assert "'endpoint_url': 'https://objects.example.net'" in result.stdout
    assert "FileSystemStorage" in manage("shell", "-c", script, SECRET_KEY="x").stdout


STORE_A_FILE = (
    "from django.core.files.base import ContentFile; "
    "from django.core.files.storage import default_storage; "
    "default_storage.save('hung.txt', ContentFile(b'x'))"
)


def test_a_bucket_that_answers_nothing_costs_an_upload_seconds(s3_endpoint):
    endpoint = urlsplit(s3_endpoint)
    proxy = SwitchableProxy(endpoint.hostname, endpoint.port)
    proxy.silence()
    started = time.monotonic()
    try:
        result = manage(
            "shell",
            "-c",
            STORE_A_FILE,
            DEBUG="1",
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{proxy.port}",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_S3_REGION_NAME="us-east-1",
            MEDIA_CONNECT_TIMEOUT="1",
            MEDIA_READ_TIMEOUT="1",
        )
    finally:
        proxy.down()
    # The bounded wait is what this test is about: two tries of a second each, and the
    # process's start, not boto3's minutes. Generous, so a slow machine does not fail it.
    assert time.monotonic() - started < 15
    assert result.returncode != 0
    assert "Read timeout" in result.stderr
