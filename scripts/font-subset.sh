#!/usr/bin/env bash
# Regenerates conversation/fonts/NotoSansKR-Regular-subset.ttf.gz, the
# Korean-capable font Dangol draws charts and posters with.
#
# Source: Noto Sans KR Regular (SIL Open Font License 1.1), the static
# TrueType file in the npm package @expo-google-fonts/noto-sans-kr 0.4.3.
# TrueType (glyf) outlines are required: the freetype renderer the charts
# use cannot read CFF outlines.
#
# Kept: Basic Latin and Latin-1, common punctuation, arrows, ₩ ✓ ⚠,
# CJK brackets, Hangul compatibility jamo and all 11,172 Hangul syllables
# (U+AC00–U+D7A3, not only the 2,350 of KS X 1001: names use 똠, 믜 …).
# No hinting, no layout tables: about 2.4 MB, 0.85 MB gzipped.
#
# Needs npm and fonttools (Debian: apt-get install python3-fonttools).
set -euo pipefail
cd "$(dirname "$0")/.."
out=conversation/fonts/NotoSansKR-Regular-subset.ttf.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent @expo-google-fonts/noto-sans-kr@0.4.3 >/dev/null && tar xzf expo-google-fonts-noto-sans-kr-0.4.3.tgz)
src="$tmp/package/400Regular/NotoSansKR_400Regular.ttf"

python3 -m fontTools.subset "$src" --output-file="$tmp/subset.ttf" \
	--unicodes='U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203B,U+20A9,U+2190-2193,U+2713,U+26A0,U+3000-3003,U+3008-3011,U+301C,U+3131-318E,U+AC00-D7A3,U+FF5E' \
	--no-hinting --layout-features='' --drop-tables+=BASE,STAT,vhea,vmtx,GDEF,GPOS,GSUB \
	--name-IDs='*' --name-legacy --name-languages='*' --notdef-outline --glyph-names=false

python3 - "$tmp/subset.ttf" <<'EOF'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
assert 'glyf' in f, 'TrueType outlines required'
cmap = f.getBestCmap()
missing = [c for c in range(0xAC00, 0xD7A4) if c not in cmap]
assert not missing, f'{len(missing)} Hangul syllables missing'
EOF

gzip -9 -n -c "$tmp/subset.ttf" >"$out"
ls -l "$out"
