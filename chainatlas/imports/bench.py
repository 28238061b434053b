"""Import benchmark: generate an enterprise CSV (GBK, as Excel writes it) and time
`import_file` on a fresh SQLite store. Run it with `chainatlas bench import`."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from chainatlas.imports.validate import credit_check_char

__all__ = ["generate_enterprises_csv", "run_import_benchmark"]

_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_REGIONS = [("深圳", "440300"), ("苏州", "320500"), ("合肥", "340100"), ("杭州", "330100"),
            ("成都", "510100"), ("武汉", "420100"), ("西安", "610100"), ("广州", "440100"),
            ("南京", "320100"), ("宁波", "330200")]  # fmt: skip
_SYLLABLES = "澜图迈柏垠瑞晶芯衡驰泓源锦析明眸康禾擎远铂锐恒纶钛盛矽程嵘山昇能储拓量精凌峰"
_INDUSTRY = ["生物科技", "医疗器械", "新材料", "智能装备", "半导体", "新能源科技", "信息技术",
             "精密机械", "电子科技", "环保科技"]  # fmt: skip


def _credit_code(rng: random.Random, region_code: str) -> str:
    body = "91" + region_code + "".join(rng.choice(_CC_CHARS) for _ in range(9))
    return body + credit_check_char(body)


def generate_enterprises_csv(path: Path, rows: int, *, seed: int = 1, bad_every: int = 500) -> int:
    """Write `rows` enterprise rows (every `bad_every`-th one malformed); returns rows."""
    rng = random.Random(seed)
    lines = ["企业名称,统一社会信用代码,所在地区,行业,注册资本,成立日期"]
    for i in range(rows):
        city, code = rng.choice(_REGIONS)
        brand = "".join(rng.sample(_SYLLABLES, 2)) + f"{i:06d}"
        industry = rng.choice(_INDUSTRY)
        name = f"{city}{brand}{industry}有限公司"
        credit = _credit_code(rng, code)
        if bad_every and i % bad_every == bad_every - 1:
            credit = credit[:-1] + ("0" if credit[-1] != "0" else "1")  # wrong check digit
        capital = f"{rng.randint(50, 50000)}万元"
        founded = f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"{name},{credit},{city},{industry},{capital},{founded}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return rows


def run_import_benchmark(rows: int = 100_000, seed: int = 1, console=None) -> dict:
    """Generate, import into a fresh SQLite store, re-import (all updates); report seconds."""
    from chainatlas.imports.load import import_file
    from chainatlas.store.db import Store

    say = console.print if console is not None else print
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "enterprises.csv"
        generate_enterprises_csv(csv_path, rows, seed=seed)
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        try:
            t0 = time.perf_counter()
            first = import_file(store, "enterprises", csv_path)
            t1 = time.perf_counter()
            second = import_file(store, "enterprises", csv_path)
            t2 = time.perf_counter()
        finally:
            store.close()
    result = {
        "rows": rows,
        "mb": round(csv_path.stat().st_size / 1e6, 1) if csv_path.exists() else None,
        "insert_seconds": round(t1 - t0, 2),
        "update_seconds": round(t2 - t1, 2),
        "inserted": first.inserted,
        "updated": second.updated,
        "skipped": first.skipped,
        "rows_per_second": round(rows / (t1 - t0)),
    }
    say(
        f"企业导入基准（SQLite）：{rows:,} 行，首次导入 {result['insert_seconds']} 秒"
        f"（新增 {first.inserted:,}，跳过 {first.skipped:,}），再次导入 {result['update_seconds']} 秒"
        f"（更新 {second.updated:,}）；{result['rows_per_second']:,} 行/秒"
    )
    return result
