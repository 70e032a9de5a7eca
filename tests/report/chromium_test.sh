#!/usr/bin/env bash
# The HTML reports in a real browser: renders the eval, diff, witness and escaping pages into the build
# directory (the ctest working directory), then opens each in headless Chromium with name resolution off.
# Checks the rendered DOM (decision, deciding rule, citation, thresholds; markup from policies and facts
# shown as text, never run), that the pages name no external resource, and that a phone-width screenshot
# (375 px) and a PDF print are produced. Exit 77 (skipped) without Chromium.
# Usage: chromium_test.sh EDICT_RENDER_REPORT REPOSITORY_ROOT
set -u
driver="$1"
root="$2"
chromium="${EDICT_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$chromium" ]; then
  echo "chromium not found: skipped"
  exit 77
fi
work="$PWD/report_chromium"
rm -rf "$work"
mkdir -p "$work/home"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# ---- the pages ----
cd "$root" || exit 2
"$driver" eval policies/ear tests/report/h800_cn.json 2023-12-01 >"$work/eval.html" || fail "render eval"
"$driver" eval tests/report/escapes/escapes.edict tests/report/escapes/facts.json 2024-01-01 >"$work/escapes.html" ||
  fail "render escapes"
"$driver" diff policies/ear policies/ear tests/golden/corpora/ear_catalog.jsonl 2023-12-01 2023-10-16 2023-10-26 \
  >"$work/diff.html" || fail "render diff"
"$driver" witnesses tests/golden/corpora/diff/old.edict tests/golden/corpora/diff/new.edict 2024-01-01 \
  >"$work/witnesses.html" || fail "render witnesses"
cd "$work" || exit 2

# ---- self-contained: no script, no external resource; every fetch forbidden by the page itself ----
for page in eval escapes diff witnesses; do
  html="$page.html"
  grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$html" || fail "$html: no Content-Security-Policy"
  # An element that loads or links anything: src=, srcset=, a link other than to an anchor in the page, url(),
  # @import, a <script>, <link>, <iframe>, <object> or <embed> tag.
  if grep -nE "(src|srcset|action|poster|data)=|href=\"[^#]|url\(|@import|<(script|link|iframe|object|embed|img)[ >]" \
    "$html" | head -3 | grep .; then
    fail "$html: refers to an external resource or runs a script"
  fi
  # A URL may appear only as escaped text from a policy (the escaping policy's citation): never in the page's own
  # markup. Outside that page there is none at all.
  if [ "$page" != escapes ] && grep -nE "https?://" "$html" | head -3 | grep .; then
    fail "$html: contains a URL"
  fi
done

# ---- the browser: no name resolves, a profile and HOME of our own ----
browse() {  # browse PAGE TAG OUT ARGS...: headless Chromium on file://$work/PAGE, its own profile (TAG), stdout to OUT
  local page="$1" tag="$2" out="$3"
  shift 3
  HOME="$work/home" timeout 40 "$chromium" --headless=new --no-sandbox --disable-gpu --no-first-run \
    --disable-extensions --disable-sync --disable-background-networking --disable-component-update \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$work/profile-$tag" "$@" "file://$work/$page" \
    >"$out" 2>"$work/chromium-$tag.log"
}

# Chromium's start-up dominates: the runs go in parallel, each with its own profile.
pids=()
names=()
start() {  # start NAME COMMAND...: run in the background
  names+=("$1")
  shift
  "$@" &
  pids+=($!)
}
finish() {  # waits for every started run; a failed run is a failure
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail "chromium: ${names[$i]}"; done
  pids=()
  names=()
}

expect() {  # expect FILE TEXT...: each TEXT occurs in FILE
  local file="$1"
  shift
  for text in "$@"; do grep -qF -- "$text" "$file" || fail "$file does not contain: $text"; done
}

for page in eval escapes diff; do
  start "--dump-dom $page.html" browse "$page.html" "dom-$page" "$page.dom" --dump-dom
done
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# A phone (375 px wide) screenshot of the evaluation and the diff, and the evaluation printed.
for page in eval diff; do
  start "--screenshot $page.html" browse "$page.html" "png-$page" /dev/null --hide-scrollbars --window-size=375,2000 \
    --screenshot="$work/${page}_phone.png"
done
start "--print-to-pdf eval.html" browse eval.html pdf-eval /dev/null --no-pdf-header-footer --print-to-pdf="$work/eval.pdf"
finish

expect eval.dom "Decision: " "license_required" "license_ac_2023" "license_hq_2023" "eccn_3a090_a" \
  "15 CFR 742.6(a)(6)(iii)" ">4800<" ">15832<" "2023-12-01" "latest" \
  "end_user.hq_country: defaulted from destination.country" "<details>" "The full trace"
digest=$(grep -o '[0-9a-f]\{64\}' eval.html | head -1)
if [ ${#digest} -eq 64 ]; then expect eval.dom "$digest"; else fail "eval.html: no policy digest"; fi

# Shown as text (escaped in the serialised DOM), never an element: the page has no script at all.
expect escapes.dom "&lt;script&gt;alert('fact')&lt;/script&gt; &amp; \"H800\"" \
  "Titles &lt;script&gt;alert('policy')&lt;/script&gt; &amp; \"quotes\"" "Big &lt;chip&gt; &amp; co" \
  "a &lt;script&gt;alert('reason')&lt;/script&gt; &amp; more" "Sec. 1 &lt;i&gt;(a)&lt;/i&gt; &amp; https://example.invalid/cite"
if grep -qiE "<script|<i>|<b>|<chip>" escapes.dom; then fail "escapes.dom: markup from the policy or facts became elements"; fi

expect diff.dom "296 of 352 cases changed" "eccn_3a090_a" "OLD" "NEW" "product.tpp" "&gt;= 4800" 'class="m-chg"' \
  'class="m-add"' 'class="m-del"'
expect witnesses.html "regions where OLD and NEW disagree" "big_chip" "Trace difference"  # static: one run fewer

for png in eval_phone.png diff_phone.png; do
  [ "$(size "$png")" -gt 20000 ] || fail "$png missing or too small"
  head -c 8 "$png" | grep -q PNG || fail "$png is not a PNG"
done
[ "$(size eval.pdf)" -gt 20000 ] || fail "eval.pdf missing or too small"
head -c 5 eval.pdf | grep -q '%PDF-' || fail "eval.pdf is not a PDF"
# Printed, the folded trace opens (print stylesheet): 3 pages without it, about 7 with it.
pages=$(python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); print(d.count(b'/Type /Page') - d.count(b'/Type /Pages'))" eval.pdf)
[ "$pages" -ge 5 ] || fail "eval.pdf has $pages pages: the trace was not printed"

echo "pages, DOM dumps, screenshots and PDFs in $work"
[ "$failures" -eq 0 ] || { echo "$failures failure(s); chromium logs: $work/chromium-*.log"; exit 1; }
echo "ok"
