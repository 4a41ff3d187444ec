"""Clusters made before their dates followed the day a matter happened (a petition's
meeting) carry the days their signals were imported: date them again as
`services.decisions._refresh_clusters` now does."""

from typing import Any

from django.db import migrations
from django.db.models import Max, Min
from django.db.models.functions import Coalesce


def redate(apps: Any, schema_editor: Any) -> None:
    cluster_model = apps.get_model("triaging", "Cluster")
    proposal_model = apps.get_model("triaging", "TriageProposal")
    at = Coalesce("signal__occurred_at", "signal__received_at")
    rows = (
        proposal_model.objects.filter(cluster__isnull=False)
        .values("cluster")
        .annotate(first=Min(at), last=Max(at))
        .order_by()
    )
    changed = []
    for row in rows.iterator(chunk_size=2000):
        changed.append(cluster_model(pk=row["cluster"], first_at=row["first"], last_at=row["last"]))
        if len(changed) == 2000:
            cluster_model.objects.bulk_update(changed, ["first_at", "last_at"])
            changed = []
    cluster_model.objects.bulk_update(changed, ["first_at", "last_at"])


class Migration(migrations.Migration):
    dependencies = [("triaging", "0003_cluster_queue_index")]

    operations = [migrations.RunPython(redate, migrations.RunPython.noop)]
