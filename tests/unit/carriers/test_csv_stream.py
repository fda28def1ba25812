"""The tracking CSV is read in bounded chunks: a chunk is ready before the file is read whole."""

from __future__ import annotations

import io

from tradelane.carriers.formats.csv.parse import read_chunks

HEADER = b"carrier,tracking_number,occurred_at,milestone,origin_country\n"


class Watched(io.BytesIO):
    """A file that remembers how far it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return chunk

    def read1(self, size: int = -1) -> bytes:
        chunk = super().read1(size)
        self.furthest = max(self.furthest, self.tell())
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = super().readinto(buffer)
        self.furthest = max(self.furthest, self.tell())
        return count


def test_the_first_chunk_is_ready_before_the_file_is_read_whole() -> None:
    row = b"yunexpress,YT%013d,2026-11-21T00:00:00+00:00,picked_up,CN\n"
    data = HEADER + b"".join(row % n for n in range(50_000))
    stream = Watched(data)
    chunks = read_chunks(stream, where="big.csv", rows=1_000)
    first = next(chunks)
    assert len(first.entries) == 1_000 and first.shipments[0].origin_country == "CN"
    assert stream.furthest < len(data) // 4
    assert sum(len(c.entries) for c in chunks) == 49_000
