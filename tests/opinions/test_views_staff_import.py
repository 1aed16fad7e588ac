"""Importing a Polis export uploaded as a .zip: the real London youth-policing
export comes in; unsafe, damaged or incomplete archives are refused and leave
nothing behind. (Who may not import: test_views_staff.py.)"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roundtable.opinions import forms
from roundtable.opinions.models import Conversation, Statement, Vote

pytestmark = pytest.mark.django_db

LONDON = Path(__file__).parent.parent / "fixtures" / "polis" / "london.youth.policing"


def archive(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    return SimpleUploadedFile("london.zip", buffer.getvalue(), content_type="application/zip")


def london(prefix: str = "") -> dict[str, bytes]:
    return {f"{prefix}{path.name}": path.read_bytes() for path in sorted(LONDON.glob("*.csv"))}


def upload(client, agency, file, title: str = ""):
    return client.post(
        reverse("opinions:import", args=[agency.slug]), {"file": file, "title": title}
    )


@pytest.mark.parametrize("prefix", ["", "london.youth.policing/"])
def test_the_london_export_comes_in_from_the_top_or_one_folder(agency, casey, client_for, prefix):
    files = london(prefix)
    files["__MACOSX/._comments.csv"] = b"\x00\x05junk"
    response = upload(client_for(casey), agency, archive(files))
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:detail", args=[agency.slug, conversation.pk])
    assert conversation.agency == agency and conversation.imported_from == "london.zip"
    # The export's topic is the title when none is given.
    assert conversation.title.startswith("What is the best way to engage more young people")
    # 39 comments in comments.csv, keeping their numbers (35 and 38 are among them).
    assert Statement.objects.filter(conversation=conversation).count() == 39
    assert Statement.objects.filter(conversation=conversation, number__in=[35, 38]).count() == 2
    assert Vote.objects.filter(conversation=conversation).exists()


def test_a_title_given_wins(agency, adam, client_for):
    upload(client_for(adam), agency, archive(london()), title="London scrutiny (2022)")
    assert Conversation.objects.get().title == "London scrutiny (2022)"


def test_an_entry_that_would_escape_the_folder_refuses_the_archive(agency, casey, client_for):
    files = london()
    files["../../etc/cron.d/evil"] = b"* * * * * root true"
    response = upload(client_for(casey), agency, archive(files))
    assert response.status_code == 400
    assert "outside its folder" in str(response.context["form"].errors)
    assert not Conversation.objects.exists()


def test_an_absolute_path_is_refused(agency, casey, client_for):
    files = london()
    files["/srv/export/comments.csv"] = files.pop("comments.csv")
    response = upload(client_for(casey), agency, archive(files))
    assert response.status_code == 400 and not Conversation.objects.exists()
    assert "outside its folder" in str(response.context["form"].errors)


def test_files_in_two_folders_are_refused(agency, casey, client_for):
    files = london("a/")
    files["b/summary.csv"] = files.pop("a/summary.csv")
    response = upload(client_for(casey), agency, archive(files))
    assert "in one folder" in str(response.context["form"].errors)


def test_an_archive_without_comments_is_refused(agency, casey, client_for):
    files = london()
    del files["comments.csv"]
    response = upload(client_for(casey), agency, archive(files))
    assert "no comments.csv" in str(response.context["form"].errors)


def test_a_damaged_export_is_refused_with_the_readers_reason(agency, casey, client_for):
    files = london()
    files["comments.csv"] = b"timestamp,datetime,author-id\n1,x,2\n"
    response = upload(client_for(casey), agency, archive(files))
    errors = str(response.context["form"].errors)
    assert response.status_code == 400
    assert "The export could not be read: comments.csv" in errors
    assert not Conversation.objects.exists()


def test_not_a_zip_is_refused(agency, casey, client_for):
    fake = SimpleUploadedFile("london.zip", b"comment-id,comment-body\n1,hello\n")
    response = upload(client_for(casey), agency, fake)
    assert "not a .zip" in str(response.context["form"].errors)
    csv = SimpleUploadedFile("comments.csv", b"comment-id,comment-body\n1,hello\n")
    assert "Choose a .zip" in str(upload(client_for(casey), agency, csv).context["form"].errors)


def test_unpacked_files_beyond_the_limit_are_refused(agency, casey, client_for, monkeypatch):
    # A file that unpacks to more than the limit (a zip bomb in small): the
    # size is counted while writing, whatever the archive declares.
    monkeypatch.setattr(forms, "IMPORT_MAX_UNPACKED_MB", 1)
    monkeypatch.setattr("roundtable.opinions.views_import.IMPORT_MAX_UNPACKED_MB", 1)
    files = london()
    files["votes.csv"] = files["votes.csv"] + b"\n" * (2 * 1024 * 1024)
    response = upload(client_for(casey), agency, archive(files))
    assert response.status_code == 400
    assert "larger than the limit" in str(response.context["form"].errors)
    assert not Conversation.objects.exists()


def test_an_upload_beyond_the_limit_is_refused(agency, casey, client_for, monkeypatch):
    monkeypatch.setattr(forms, "IMPORT_MAX_MB", 0)
    response = upload(client_for(casey), agency, archive(london()))
    assert "larger than 0 MB" in str(response.context["form"].errors)
