"""The nasty-input corpus (tests/nasty/): one ingest batch over all of it, in a child process
with a 4 GiB address-space limit. Every file gives documents or a rejection with its path and a
reason; nothing else escapes, the batch finishes, the store stays sound, and detect runs over
whatever was ingested. Prints per-file time and the child's peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.nasty.make_nasty import large

ROOT = Path(__file__).resolve().parents[2]
NASTY = ROOT / "tests" / "nasty"
LIMIT_S = 120  # per file: far above the slowest measured, low enough to catch a hang

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from newstrace.detect import DetectParams, detect
from newstrace.pipeline import ingest
from newstrace.settings import Settings
from newstrace.store import Store
files = [Path(p) for p in json.loads(sys.argv[2])]
times, docs, last = {}, {}, [time.perf_counter()]
def on_file(path, n):
    now = time.perf_counter()
    times[str(path)] = now - last[0]
    docs[str(path)] = n
    last[0] = now
with Store(sys.argv[1]) as store:
    rep = ingest(files, store, settings=Settings(max_file_bytes=100_000_000), on_file=on_file)
    t = time.perf_counter()
    det = detect(store, DetectParams(workers=1))
    detect_s = time.perf_counter() - t
    ok = store.integrity_check()
    stored = store.count()
print(json.dumps({
    "times": times, "docs": docs, "added": rep.added, "stored": stored, "integrity": ok,
    "rejected": [[r.path, r.reason, r.kind] for r in rep.rejected], "detect_s": detect_s,
    "pairs": det.candidates,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def test_nasty_inputs_are_read_or_rejected_with_reason(tmp_path: Path, figure: Callable[[str], None]) -> None:
    files = sorted(p for p in NASTY.iterdir() if p.is_file() and p.suffix != ".py" and p.name != "README.md")
    files += large(tmp_path / "large")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "n.db"), json.dumps([str(f) for f in files])],
        capture_output=True, text=True, timeout=LIMIT_S * 4, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    rejected: dict[str, list[str]] = {}
    for path, reason, kind in out["rejected"]:
        assert reason and kind
        rejected.setdefault(path.split("#")[0].split(":")[0], []).append(f"{kind}: {reason}")
    print(f"\n{'file':28} {'bytes':>10} {'docs':>5} {'seconds':>8}  rejection")
    for f in files:
        key = str(f)
        assert key in out["times"], f"{f.name} was never finished"
        why = "; ".join(rejected.get(key, []))[:70]
        assert out["docs"][key] > 0 or why, f"{f.name}: neither documents nor a reason"
        assert out["times"][key] < LIMIT_S, f"{f.name} took {out['times'][key]:.0f} s"
        print(f"{f.name[:28]:28} {f.stat().st_size:>10} {out['docs'][key]:>5} {out['times'][key]:>8.2f}  {why}")
    slowest = max(files, key=lambda f: out["times"][str(f)])
    figure(f"nasty inputs: {len(files)} files, {out['stored']} documents, {len(out['rejected'])} rejections "
           f"with reasons, 0 crashes; slowest {slowest.name} {out['times'][str(slowest)]:.1f} s; "
           f"peak {out['peak_mb']:.0f} MB")  # fmt: skip
    print(f"{len(files)} nasty files: {out['stored']} documents stored, {len(out['rejected'])} rejections, "
          f"detect {out['detect_s']:.1f} s, peak memory {out['peak_mb']:.0f} MB")  # fmt: skip
    assert out["integrity"] == "ok"
    assert out["stored"] == out["added"]
    by_name = {Path(k).name: v for k, v in rejected.items()}
    assert any("over" in r for r in by_name["gzip_bomb.txt.gz"])  # refused, not inflated
    assert any("truncated" in r for r in by_name["truncated.warc.gz"])
    assert any("binary" in r for r in by_name["binary.jpg.txt"])
    assert out["docs"][str(NASTY / "truncated.warc.gz")] >= 0
    assert out["docs"][str(NASTY / "bom_utf16le.txt")] == 1
    assert out["docs"][str(NASTY / "rtl_combining.txt")] == 1
    assert out["peak_mb"] < 4096
