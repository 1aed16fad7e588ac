"""Bringing in a past Polis conversation: upload its open-data export as a .zip.

The archive is unpacked into a temporary directory that is removed when the
request ends; only the four files of the export layout are taken, each checked
against the size limit while it is written (a zip's declared sizes can lie),
and an archive with an entry that would land outside the folder (an absolute
path, "..") is refused outright. The folder is then read by `polis_folder` and
stored by `services_polis.conversation_import_polis`, the same path the
command line takes.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from roundtable.accounts.access import acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.opinions import polis_folder
from roundtable.opinions.forms import IMPORT_MAX_MB, IMPORT_MAX_UNPACKED_MB, PolisImportForm
from roundtable.opinions.services_polis import conversation_import_polis
from roundtable.opinions.views import IMPORTERS, detail_url

# The files of a Polis open-data export; anything else in the archive is ignored.
POLIS_FILES = frozenset({"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"})
CHUNK = 1024 * 1024


def _is_unsafe(name: str) -> bool:
    """An entry that would be written outside the folder it is unpacked into."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


def _is_export_file(name: str) -> bool:
    path = PurePosixPath(name)
    # macOS adds "__MACOSX/…" copies and "._name" resource forks to its zips.
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return False
    return path.name.lower() in POLIS_FILES


def unpack_polis_zip(upload: UploadedFile, into: Path) -> Path:
    """Write the export's files of `upload` into `into`; return `into`.

    Raises ValidationError (translated) for an unsafe, encrypted, oversized or
    damaged archive, or one without the export's files in a single folder.
    """
    per_file = IMPORT_MAX_MB * 1024 * 1024
    total_limit = IMPORT_MAX_UNPACKED_MB * 1024 * 1024
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
            if any(_is_unsafe(info.filename) for info in entries):
                raise ValidationError(
                    _("The .zip holds a file that would be written outside its folder; refused.")
                )
            wanted = [info for info in entries if _is_export_file(info.filename)]
            folders = {PurePosixPath(info.filename).parent for info in wanted}
            if len(folders) > 1:
                raise ValidationError(
                    _("Put the export's files together, at the top of the .zip or in one folder.")
                )
            names = [PurePosixPath(info.filename).name.lower() for info in wanted]
            if "comments.csv" not in names:
                raise ValidationError(_("The .zip has no comments.csv: is it a Polis export?"))
            if any(info.flag_bits & 0x1 for info in wanted):
                raise ValidationError(_("The .zip is password-protected; upload it without one."))
            written = 0
            for info, name in zip(wanted, names, strict=True):
                file_bytes = 0
                with archive.open(info) as source, (into / name).open("wb") as target:
                    while block := source.read(CHUNK):
                        file_bytes += len(block)
                        written += len(block)
                        if file_bytes > per_file or written > total_limit:
                            raise ValidationError(
                                _(
                                    "The unpacked files are larger than the limit; import them "
                                    "with the command line instead."
                                )
                            )
                        target.write(block)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        raise ValidationError(_("The .zip could not be read; it may be damaged.")) from None
    return into


@require_http_methods(["GET", "POST"])
@agency_view(IMPORTERS)
def polis_import(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators: load a Polis export as a conversation
    of this agency, to re-analyse it and compare with what Polis found."""
    form = PolisImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        file_name = Path(upload.name or "polis-export.zip").name
        try:
            with tempfile.TemporaryDirectory(prefix="polis-") as tmp:
                folder = polis_folder.read_polis_folder(unpack_polis_zip(upload, Path(tmp)))
            conversation = conversation_import_polis(
                actor=acting_user(request),
                agency=agency,
                folder=folder,
                # Empty: the export's topic, then the file's name (the service's rule).
                title=form.cleaned_data["title"],
                source=file_name,
            )
        except ValidationError as error:
            add_service_error(form, error)
        except polis_folder.PolisFolderError as error:
            # The reader's reasons are in English (it runs without Django too):
            # which file, which line, what is wrong.
            form.add_error(
                "file", _("The export could not be read: %(error)s") % {"error": str(error)}
            )
        else:
            messages.success(
                request,
                _("Imported: %(statements)s statements, %(participants)s participants.")
                % {
                    "statements": len(folder.comments),
                    "participants": conversation.participants.count(),
                },
            )
            return HttpResponseRedirect(detail_url(conversation))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "form": form, "limit": IMPORT_MAX_MB}
    return render(request, "opinions/staff/import.html", context, status=status)
