"""`load_demo()`: the whole demo province, each app's part through that app's services, in
the order the data depends on (people and issues, signals, portal, programme, false claims),
then every demo signal's triage proposal, as the background worker would make it."""

from __future__ import annotations

from phoihop.demo import core, factcheck, intake, portal, programme
from phoihop.triaging.services import triage_pending


def load_demo() -> dict[str, int]:
    counts = core.load_demo()
    for app in (intake, portal, programme, factcheck):
        counts.update(app.load())
    counts["proposals"] = triage_pending()
    return counts
