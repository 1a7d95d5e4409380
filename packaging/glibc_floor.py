"""The oldest glibc / libstdc++ a Linux bundle can run on: the highest ``GLIBC_x.y`` and
``GLIBCXX_x.y.z`` symbol version that any ELF file in it needs.

    python packaging/glibc_floor.py DIR [--max-glibc 2.28] [--max-glibcxx 3.4.25] [--top N]

Prints both maxima and the files that need them (most demanding first); exits 1 when a
maximum is above ``--max-glibc`` / ``--max-glibcxx``.  Reads the ELF ``.gnu.version_r``
section itself (the version needs of each file), so it needs no binutils and gives the same
answer on any machine.

A file's needs count only if the program loads it from the bundle: libstdc++ in the bundle
is judged by what it needs, not by what it provides.  GLIBCXX 3.4.25 is GCC 8's libstdc++
(Debian 10, UOS/deepin 20); 3.4.28 is GCC 10's (Debian 11, Kylin V10 SP1).
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_DYNSYM = 11
ELF_MAGIC = b"\x7fELF"


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split(".") if p.isdigit())


def needed_versions(path: Path) -> dict[str, set[str]]:
    """{library soname: {version names}} from the file's version needs; {} if not ELF."""
    with open(path, "rb") as f:
        if f.read(4) != ELF_MAGIC:
            return {}
        data = f.read()
    data = ELF_MAGIC + data
    ei_class, ei_data = data[4], data[5]
    if ei_class not in (1, 2) or ei_data not in (1, 2):
        return {}
    end = "<" if ei_data == 1 else ">"
    is64 = ei_class == 2
    if is64:
        e_shoff, = struct.unpack_from(end + "Q", data, 0x28)
        e_shentsize, e_shnum = struct.unpack_from(end + "HH", data, 0x3A)
    else:
        e_shoff, = struct.unpack_from(end + "I", data, 0x20)
        e_shentsize, e_shnum = struct.unpack_from(end + "HH", data, 0x2E)
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        if off + e_shentsize > len(data):
            return {}
        if is64:
            (_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, sh_info, _align,
             _entsize) = struct.unpack_from(end + "IIQQQQIIQQ", data, off)
        else:
            (_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, sh_info, _align,
             _entsize) = struct.unpack_from(end + "IIIIIIIIII", data, off)
        sections.append((sh_type, sh_offset, sh_size, sh_link, sh_info))
    result: dict[str, set[str]] = {}
    for sh_type, sh_offset, _size, sh_link, sh_info in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab_off = sections[sh_link][1]

        def cstr(o: int) -> str:
            e = data.index(b"\0", strtab_off + o)
            return data[strtab_off + o:e].decode("ascii", "replace")

        off = sh_offset
        for _ in range(sh_info):
            _vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from(
                end + "HHIII", data, off)
            lib = cstr(vn_file)
            aux = off + vn_aux
            for _ in range(vn_cnt):
                _hash, _flags, _other, vna_name, vna_next = struct.unpack_from(
                    end + "IHHII", data, aux)
                result.setdefault(lib, set()).add(cstr(vna_name))
                if not vna_next:
                    break
                aux += vna_next
            if not vn_next:
                break
            off += vn_next
    return result


def scan(root: Path) -> dict[str, dict[Path, str]]:
    """{"GLIBC": {file: highest}, "GLIBCXX": {file: highest}} over every ELF file."""
    found: dict[str, dict[Path, str]] = {"GLIBC": {}, "GLIBCXX": {}}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        try:
            needs = needed_versions(path)
        except (OSError, struct.error, ValueError, IndexError):
            continue
        for prefix in found:
            versions = [v[len(prefix) + 1:] for vs in needs.values() for v in vs
                        if v.startswith(prefix + "_") and v[len(prefix) + 1:][:1].isdigit()]
            if versions:
                found[prefix][path] = max(versions, key=version_key)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--max-glibc", help="fail above this GLIBC version, e.g. 2.28")
    ap.add_argument("--max-glibcxx", help="fail above this GLIBCXX version, e.g. 3.4.25")
    ap.add_argument("--top", type=int, default=8, help="files to list per maximum")
    args = ap.parse_args(argv)
    if not args.root.is_dir():
        print(f"glibc_floor: {args.root} is not a folder", file=sys.stderr)
        return 2
    found = scan(args.root)
    limits = {"GLIBC": args.max_glibc, "GLIBCXX": args.max_glibcxx}
    ok = True
    for prefix, files in found.items():
        if not files:
            print(f"{prefix}: no file needs it")
            continue
        ranked = sorted(files.items(), key=lambda kv: version_key(kv[1]), reverse=True)
        top = ranked[0][1]
        limit = limits[prefix]
        over = limit is not None and version_key(top) > version_key(limit)
        ok = ok and not over
        verdict = "" if limit is None else (f"  ABOVE the floor {limit}" if over
                                            else f"  (floor {limit}: ok)")
        print(f"{prefix} needed: {top}{verdict}")
        shown = [kv for kv in ranked if over and version_key(kv[1]) > version_key(limit)]
        for path, v in (shown or ranked)[:args.top]:
            print(f"  {v:<8} {path.relative_to(args.root)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
