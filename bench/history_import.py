"""History import throughput: a DataCo-sized export (180,000 rows) read through a mapping
and stored all or nothing, against the csv module merely reading the same file.

    python bench/history_import.py [--size 180000]

The file is synthetic with the columns of a delivery-history export (dates in a strptime
format, text such as "Weight Captured Separately" in a numeric column every 50th row). Runs on
a fresh SQLite file; the last line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.services.history_import import import_history_file
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

START = datetime(2026, 1, 1, tzinfo=UTC)
MAPPING = """
fields:
  order_id:     {column: "Order Id"}
  channel:      {column: "Shipping Mode"}
  lane:         {column: "Order Country"}
  shipped_at:   {column: "Shipped", date_format: "%m/%d/%Y %H:%M"}
  scheduled_at: {column: "Due", date_format: "%m/%d/%Y %H:%M"}
  delivered_at: {column: "Delivered", date_format: "%m/%d/%Y %H:%M"}
  weight_kg:    {column: "Weight"}
  cost:         {column: "Freight"}
  currency:     {default: USD}
"""
MODES = ("Standard Class", "Second Class", "First Class", "Same Day")
COUNTRIES = ("Estados Unidos", "Francia", "Alemania", "México", "Australia", "China")


def write_history(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Order Id", "Shipping Mode", "Order Country", "Shipped", "Due",
                         "Delivered", "Weight", "Freight"])  # fmt: skip
        for i in range(rows):
            shipped = START + timedelta(minutes=rng.randrange(500_000))
            due = shipped + timedelta(days=rng.randrange(1, 6))
            done = shipped + timedelta(days=rng.randrange(0, 8))
            weight = "Weight Captured Separately" if i % 50 == 0 else f"{rng.uniform(0.1, 30):.2f}"
            writer.writerow([i, rng.choice(MODES), rng.choice(COUNTRIES),
                             f"{shipped:%m/%d/%Y %H:%M}",
                             f"{due:%m/%d/%Y %H:%M}", f"{done:%m/%d/%Y %H:%M}", weight,
                             f"{rng.uniform(2, 80):.2f}"])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=180_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, mapping = Path(folder) / "history.csv", Path(folder) / "map.yaml"
        write_history(path, args.size)
        mapping.write_text(MAPPING, encoding="utf-8")
        engine = make_engine(f"sqlite:///{Path(folder) / 'history.db'}")
        migrate(engine)
        imported, seconds = timed(
            lambda: import_history_file(path, mapping, uow=UnitOfWork(engine), now=START)
        )
        text = path.read_text(encoding="utf-8")
        _, base_seconds = timed(lambda: sum(1 for _ in csv.reader(io.StringIO(text, newline=""))))
        engine.dispose()
    assert imported.records == args.size
    rate, base_rate = args.size / seconds, args.size / base_seconds
    report(
        {
            "bench": "history_import",
            "rows": args.size,
            "store": "sqlite",
            "seconds": round(seconds, 2),
            "per_second": round(rate),
            "baseline": "csv module reading the file, no typing or storing",
            "baseline_per_second": round(base_rate),
            "ratio": round(rate / base_rate, 3),
            "missing_counted": sum(imported.missing.values()),
        }
    )


if __name__ == "__main__":
    main()
