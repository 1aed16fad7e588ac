"""The monthly CompStat360 meeting pack: issued packs are kept as they were.

A pack is computed from the data as of the end of its month. Once command
staff issue it, the page as issued is stored, so the permanent link of a month
(/a/<agency>/compstat/2026-10/) shows what the meeting saw even when late data
later change the live figures, and two months' packs can be compared.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class MeetingPack(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="meeting_packs"
    )
    # None: the whole jurisdiction.
    area = models.ForeignKey(
        "agencies.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField()  # the first day of the month
    language = models.CharField(max_length=10)
    # The pack's body as issued (the HTML between the page's header and footer).
    html = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "area", "month", "language"],
                condition=Q(area__isnull=False),
                name="meeting_pack_unique_area",
            ),
            models.UniqueConstraint(
                fields=["agency", "month", "language"],
                condition=Q(area__isnull=True),
                name="meeting_pack_unique_overall",
            ),
        ]
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m} ({self.language})"
