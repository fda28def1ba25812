"""Order import throughput: the batched all-or-nothing import vs one commit per order.

    python bench/import_orders.py [--size 100000] [--baseline-size 2000]

Both run on fresh SQLite files in the same process; the last
line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.files.order_file import write_orders_csv
from tradelane.services.order_import import import_order_file, import_orders
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

START = datetime(2026, 11, 23, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--baseline-size", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        write_orders_csv(generate_orders(args.size, seed=1, start=START), path)
        fast = UnitOfWork(_engine(Path(folder) / "fast.db"))
        _, seconds = timed(lambda: import_order_file(path, uow=fast, now=START))
        slow = UnitOfWork(_engine(Path(folder) / "slow.db"))
        few = generate_orders(args.baseline_size, seed=2, start=START)

        def one_commit_per_order() -> None:
            for order in few:
                import_orders([order], source="bench", uow=slow, now=START)

        _, base_seconds = timed(one_commit_per_order)
    rate, base_rate = args.size / seconds, args.baseline_size / base_seconds
    report(
        {
            "bench": "import_orders",
            "orders": args.size,
            "store": "sqlite",
            "seconds": round(seconds, 2),
            "per_second": round(rate),
            "baseline_per_second": round(base_rate),
            "ratio": round(rate / base_rate, 1),
        }
    )


def _engine(path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


if __name__ == "__main__":
    main()
