"""Recompute every contact point's blind index with the configured CONCORD_BLIND_INDEX_KEY.

The blind index (a keyed HMAC of the normalised number or address) is what phone search matches;
the values themselves are encrypted. To rotate the blind-index key:
1. set the new key:  CONCORD_BLIND_INDEX_KEY=<new>  (restart the app)
2. run:              python manage.py rebuild_search_indexes
Until the command finishes, a search by a number recorded before the change finds nothing (it fails
closed, never open). Each batch is its own transaction and the rewrite is idempotent: an interrupted
run is simply run again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from concord.people.models import ContactPoint
from concord.people.selectors import contact_search_index

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the blind indexes of contact points with the configured key (after rotating it)."

    def handle(self, *args, **options):
        ids = list(ContactPoint.objects.order_by("pk").values_list("pk", flat=True))
        changed = 0
        try:
            with tqdm(total=len(ids), desc="contact points", unit="row", disable=None) as progress:
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start:start + BATCH]
                    with transaction.atomic():
                        for point in ContactPoint.objects.filter(pk__in=chunk).only("pk", "kind", "value",
                                                                                    "search_index"):
                            index = contact_search_index(point.kind, point.value)
                            if index != point.search_index:
                                ContactPoint.objects.filter(pk=point.pk).update(search_index=index)
                                changed += 1
                    progress.update(len(chunk))
        except KeyboardInterrupt:
            raise CommandError("Interrupted. Finished batches are saved; run the command again to continue.") from None
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} contact point(s) indexed with the current key; "
                                             f"{changed} changed."))
