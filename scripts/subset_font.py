#!/usr/bin/env python3
"""Builds assets/fonts/NotoSansSC-subset.otf (charts, PNG) and .woff2 (inlined in index.html).

Source: Noto Sans CJK SC Regular from Debian's fonts-noto-cjk (SIL OFL 1.1). The subset keeps
GB2312 (every character of the national simplified set, so any member name written in it
renders), ASCII, Latin-1 punctuation, CJK and full-width punctuation, arrows and the
characters of the catalog. Needs `pip install fonttools brotli`.

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb /tmp/noto
    python3 scripts/subset_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
src = sys.argv[1]
chars = set()
# GB2312: rows 0xA1-0xF7, cells 0xA1-0xFE.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update(chr(c) for c in range(0xA0, 0x100))
chars.update("—–‘’“”…‰′″※←↑→↓▲▼△▽●○■□◆◇★☆√×÷±≤≥≠≈∞·•、。，；：？！（）【】《》「」〔〕·％＋－＝／")
chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK punctuation
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
# Everything the catalog and the sample consortium name, in case it falls outside GB2312.
for f in [root / "src/catalog/catalog.toml", root / "sample-data/consortium.toml"]:
    if f.exists():
        chars.update(c for c in f.read_text(encoding="utf-8") if ord(c) >= 0x20)
text = "".join(sorted(chars))
out = root / "assets/fonts/NotoSansSC-subset"
common = [
    "pyftsubset", src, "--font-number=2", f"--text={text}",
    "--layout-features=*", "--no-hinting", "--desubroutinize",
    "--name-IDs=*", "--name-languages=*",
]
subprocess.run(common + [f"--output-file={out}.otf"], check=True)
subprocess.run(common + ["--flavor=woff2", f"--output-file={out}.woff2"], check=True)
print(len(text), "characters")
