"""Private files on object storage or behind the proxy: served only after the permission check.

The object-storage leg runs moto's S3 server (a real HTTP server, from PyPI) with a private
bucket. moto serves any well-formed presigned URL, so whether a signature holds is decided by
``verify_signed_url`` below: AWS Signature Version 4 for query strings, written from AWS's
specification and checked against the URL boto3 made (it must accept that one).
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError
from urllib.parse import parse_qsl, quote, urlsplit
from urllib.request import urlopen

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse

from tests.factories import PupilFactory, group_file, group_page, parent_of

pytestmark = pytest.mark.django_db

BUCKET = "schoolportal-media"
ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "eu-west-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield endpoint
    server.stop()


@pytest.fixture
def on_object_storage(s3_endpoint):
    s3 = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
    default = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={"default": s3, "staticfiles": default},
        PRIVATE_MEDIA_DELIVERY="signed",
        MEDIA_SIGNED_URL_SECONDS=60,
    ):
        yield storages["default"]


@pytest.fixture
def family_file():
    pupil = PupilFactory()
    parent = parent_of(pupil)
    stranger = parent_of(PupilFactory(school=pupil.school))
    page = group_page(pupil.group)
    return parent, stranger, group_file(page, "weekplanning.pdf", b"%PDF-1.4 planning")


def download(client, user, group_file):
    client.force_login(user)
    return client.get(reverse("grouppages:file", args=[group_file.pk]))


def fetch(url):
    try:
        with urlopen(url, timeout=5) as response:  # noqa: S310 - the local moto server
            return response.status, response.read()
    except HTTPError as error:
        return error.code, b""


def verify_signed_url(url, now):
    """Whether S3 would serve ``url`` at ``now``: the SigV4 query signature over this very
    method, host, path and parameters is right, and the URL has not expired."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    signature = params.pop("X-Amz-Signature", "")
    signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if now > signed_at + timedelta(seconds=int(params["X-Amz-Expires"])):
        return False
    canonical_query = "&".join(
        f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}"
        for key, value in sorted(params.items())
    )
    canonical_request = "\n".join(
        ["GET", parts.path, canonical_query, f"host:{parts.netloc}", "", "host", "UNSIGNED-PAYLOAD"]
    )
    scope = params["X-Amz-Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            params["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = ("AWS4" + SECRET_KEY).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def test_a_parent_is_redirected_to_a_short_lived_url_of_the_one_file(
    client, on_object_storage, family_file
):
    parent, _stranger, file = family_file

    response = download(client, parent.user, file)

    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(on_object_storage.endpoint_url)
    assert file.document.file.name in url
    assert response["Cache-Control"] == "private, no-store"
    status, body = fetch(url)
    assert (status, body) == (200, b"%PDF-1.4 planning")
    # Downloaded under its own name, never shown inline, kept by no cache.
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["response-content-disposition"].startswith("attachment;")
    assert query["response-cache-control"] == "private, no-store"


def test_the_signed_url_holds_for_its_minute_only_and_for_no_other_object(
    client, on_object_storage, family_file
):
    parent, _stranger, file = family_file
    other = group_file(file.page, "rooster.pdf", b"%PDF-1.4 rooster")
    url = download(client, parent.user, file)["Location"]
    now = datetime.now(UTC)

    assert verify_signed_url(url, now)  # the control: the verifier accepts the real URL
    assert verify_signed_url(url, now + timedelta(seconds=55))
    assert not verify_signed_url(url, now + timedelta(seconds=61))
    for name in [other.document.file.name, file.document.file.name + "x"]:
        assert not verify_signed_url(url.replace(file.document.file.name, name), now)


def test_the_bucket_serves_nothing_without_a_signature(client, on_object_storage, family_file):
    parent, _stranger, file = family_file
    url = download(client, parent.user, file)["Location"]

    status, body = fetch(url.split("?")[0])

    assert status == 403
    assert body == b""


def test_another_family_gets_404_and_no_url(client, on_object_storage, family_file):
    _parent, stranger, file = family_file

    response = download(client, stranger.user, file)

    assert response.status_code == 404
    assert on_object_storage.endpoint_url not in response.content.decode()


@override_settings(PRIVATE_MEDIA_DELIVERY="accel", PRIVATE_MEDIA_ACCEL_PREFIX="/protected-media/")
def test_behind_nginx_the_proxy_streams_the_file_after_the_check(client, family_file):
    parent, stranger, file = family_file

    response = download(client, parent.user, file)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + file.document.file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert download(client, stranger.user, file).status_code == 404


def test_album_photos_and_their_sizes_live_in_the_bucket_and_reach_the_groups_parents(
    client, on_object_storage
):
    from tests.factories import photo_album

    pupil = PupilFactory()
    parent = parent_of(pupil)
    stranger = parent_of(PupilFactory(school=pupil.school))
    album = photo_album(group_page(pupil.group), photos=1)  # sizes made by the worker's task
    photo = album.photos.get()

    client.force_login(parent.user)
    response = client.get(reverse("grouppages:photo", args=[photo.pk]))

    assert response.status_code == 302
    status, body = fetch(response["Location"])
    assert status == 200
    assert body[:2] == b"\xff\xd8"  # a JPEG, read from the bucket
    assert (
        "max-age" in dict(parse_qsl(urlsplit(response["Location"]).query))["response-cache-control"]
    )
    client.force_login(stranger.user)
    assert client.get(reverse("grouppages:photo", args=[photo.pk])).status_code == 404
