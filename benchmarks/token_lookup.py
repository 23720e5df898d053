"""The bearer token's lookup, made on every API request: the queryset against the
compiled query (``kernel.compiled_query``), interleaved call by call in one process.

    .venv/bin/python benchmarks/token_lookup.py --data-dir /tmp/b100k
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import feed_latency  # the data folder's set-up is shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    feed_latency.setup(args.data_dir)
    from django.utils import timezone

    from clipdeck.accounts import services
    from clipdeck.accounts.models import User

    user = User.objects.order_by("pk").first()
    key_hash = services._token_hash(services.token_issue(user=user))

    def queryset():
        bounds = services._token_limits(timezone.now())
        return list(services._token_query(key_hash, *bounds))

    def compiled():
        return services._token_rows(key_hash, *services._token_limits(timezone.now()))

    assert queryset()[0].user == compiled()[0].user == user
    cpu = {"queryset": 0.0, "compiled": 0.0}
    for _ in range(args.calls):
        for name, lookup in (("queryset", queryset), ("compiled", compiled)):
            started = time.thread_time()
            lookup()
            cpu[name] += time.thread_time() - started
    ms = {name: total * 1000 / args.calls for name, total in cpu.items()}
    print(f"{args.calls} lookups each, CPU ms a lookup: queryset {ms['queryset']:.3f}, "
          f"compiled {ms['compiled']:.3f} ({ms['compiled'] / ms['queryset']:.2f} ×)")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()
