"""A minimal writer of OLE Compound File Binary files ([MS-CFB], version 3, 512-byte sectors).

A file is given as a tree: a storage is a dict mapping names to storages
(dicts) or streams (bytes); the dict passed in is the root storage. Streams
under 4096 bytes live in the mini stream (64-byte mini sectors chained by the
mini FAT), larger ones in sectors chained by the FAT. The FAT's own sectors
come first, all listed in the header (at most 109 of them, about 7 MB: plenty
for a test). The children of each storage are a red-black tree built balanced
from their sorted names: every node is black except those on a last, incomplete
level, which are red, so every path from the root down has as many black nodes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

Tree = dict[str, "Tree | bytes"]

MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREE = NONE = 0xFFFFFFFF
END, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFD
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1
HEADER_FAT_SLOTS = 109


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    left: int = NONE
    right: int = NONE
    child: int = NONE
    color: int = BLACK
    start: int = 0
    size: int = 0

    def pack(self) -> bytes:
        name = (self.name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            self.kind,
            self.color,
            self.left,
            self.right,
            self.child,
            b"",
            0,
            0,
            0,
            self.start,
            self.size,
        )


_UNUSED = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NONE, NONE, NONE, b"", 0, 0, 0, 0, 0)


def compound_file(root: Tree) -> bytes:
    """The bytes of a compound file holding `root`'s storages and streams."""
    entries = [_Entry("Root Entry", ROOT)]
    _add_children(entries, 0, root)

    mini, mini_fat, big = bytearray(), [], []
    for entry in entries:
        if entry.kind != STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size == 0:
            entry.start = END
        elif entry.size < MINI_CUTOFF:
            entry.start = len(mini_fat)
            mini_fat.extend(_chain(entry.start, _count(entry.size, MINI_SECTOR)))
            mini += _padded(entry.data, MINI_SECTOR)
        else:
            big.append(entry)

    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    directory_size = _count(len(entries), 4) * SECTOR
    sizes = [directory_size, len(mini_fat_bytes), len(mini), *(e.size for e in big)]
    used = sum(_count(size, SECTOR) for size in sizes)
    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < used + fat_sectors:
        fat_sectors += 1
    if fat_sectors > HEADER_FAT_SLOTS:
        raise ValueError("too large for a FAT listed in the header alone")

    fat, starts = [FAT_SECTOR] * fat_sectors, []
    for size in sizes:
        count = _count(size, SECTOR)
        starts.append(len(fat) if count else END)
        fat.extend(_chain(len(fat), count))
    dir_start, mini_fat_start, mini_start, *big_starts = starts
    for entry, start in zip(big, big_starts, strict=True):
        entry.start = start
    entries[0].start, entries[0].size = mini_start, len(mini)
    directory = b"".join(e.pack() for e in entries) + _UNUSED * (-len(entries) % 4)
    parts = [directory, mini_fat_bytes, bytes(mini), *(e.data for e in big)]
    body = b"".join(_padded(part, SECTOR) for part in parts)

    fat += [FREE] * (fat_sectors * SECTOR // 4 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        MAGIC,
        b"",
        0x003E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        b"",
        0,  # directory sectors: always 0 in version 3
        fat_sectors,
        dir_start,
        0,  # transaction signature
        MINI_CUTOFF,
        mini_fat_start,
        _count(len(mini_fat_bytes), SECTOR),
        END,  # no DIFAT sectors
        0,
    )
    header += struct.pack(
        f"<{HEADER_FAT_SLOTS}I",
        *range(fat_sectors),
        *[FREE] * (HEADER_FAT_SLOTS - fat_sectors),
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + body


def _add_children(entries: list[_Entry], parent: int, storage: Tree) -> None:
    children = []
    for name, value in storage.items():
        if not 0 < len(name) <= 31:
            raise ValueError(f"a compound file name has 1 to 31 characters: {name!r}")
        children.append(len(entries))
        if isinstance(value, dict):
            entries.append(_Entry(name, STORAGE))
            _add_children(entries, children[-1], value)
        else:
            entries.append(_Entry(name, STREAM, bytes(value)))
    # [MS-CFB] 2.6.4: shorter names first, then by upper-cased characters.
    children.sort(key=lambda i: (len(entries[i].name), entries[i].name.upper()))
    full_levels = (len(children) + 1).bit_length() - 1
    red_level = full_levels + 1 if len(children) + 1 != 1 << full_levels else 0
    entries[parent].child = _tree(entries, children, 1, red_level)


def _tree(entries: list[_Entry], ordered: list[int], depth: int, red_level: int) -> int:
    if not ordered:
        return NONE
    middle = len(ordered) // 2
    node = entries[ordered[middle]]
    node.left = _tree(entries, ordered[:middle], depth + 1, red_level)
    node.right = _tree(entries, ordered[middle + 1 :], depth + 1, red_level)
    node.color = RED if depth == red_level else BLACK
    return ordered[middle]


def _count(size: int, unit: int) -> int:
    return -(-size // unit)


def _chain(start: int, count: int) -> list[int]:
    return [*range(start + 1, start + count), END] if count else []


def _padded(data: bytes, unit: int) -> bytes:
    return bytes(data) + bytes(-len(data) % unit)
