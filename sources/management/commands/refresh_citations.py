"""Rebuild the structured citations of every briefing from its bullets' text."""

from django.core.management.base import BaseCommand

from briefings.models import Briefing
from sources.services import refresh_citations

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Rebuild the citations (outlet and date) of every briefing from its bullets' text."

    def handle(self, *args, **options):
        pks = list(Briefing.objects.order_by("pk").values_list("pk", flat=True))
        written = sum(
            refresh_citations(pks[i : i + BATCH_SIZE]) for i in range(0, len(pks), BATCH_SIZE)
        )
        self.stdout.write(
            self.style.SUCCESS(f"{written} citations in {len(pks)} briefings refreshed.")
        )
