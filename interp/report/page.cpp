// The page shell of every HTML report: one self-contained document. No script, no font, no image and no URL:
// the Content-Security-Policy forbids every fetch, so a page opened anywhere stays offline. One stylesheet,
// written for three readers: a desktop browser, a phone (375 px wide: nothing wider than the screen except
// inside the scrolling code and trace boxes) and paper (folded details open, no backgrounds, no rule split
// across pages).
#include "report/html.hpp"

namespace edict::report {

namespace {

// The system font stacks: nothing to download, and the reader's own interface font.
constexpr std::string_view kStyle = R"(
:root{--fg:#1b1f24;--muted:#5b6570;--line:#d5dae0;--soft:#f4f6f8;--accent:#0b5cad;
--add:#e6f4ea;--add-fg:#135e2b;--del:#fdecec;--del-fg:#9b1c1c;--chg:#fff6dc;--chg-fg:#7a5200}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:60rem;padding:1rem;color:var(--fg);background:#fff;line-height:1.45;
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;
overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .3rem}
code,pre,.mono{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;
font-size:.9em}
pre{margin:.3rem 0;padding:.5rem;background:var(--soft);overflow-x:auto;white-space:pre}
.muted,.loc{color:var(--muted);font-size:.9em}
.badge{display:inline-block;padding:0 .45em;border:1px solid var(--line);border-radius:.3em;background:var(--soft);
font-size:.9em;margin:0 .2em .2em 0}
.decision{font-weight:700}
.d-license_required,.d-error{border-color:#e0a3a3;background:var(--del);color:var(--del-fg)}
.d-indeterminate{border-color:#e8cf8f;background:var(--chg);color:var(--chg-fg)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
.digest{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.8em;word-break:break-all}
article.entity{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.6rem 0;
break-inside:avoid;page-break-inside:avoid}
article.entity p{margin:.2rem 0}
.cite{border-left:3px solid var(--accent);padding-left:.5rem}
ul.cond,ul.cond ul{list-style:none;margin:.3rem 0 0;padding-left:1rem}ul.cond{padding-left:0}
ul.cond li{margin:.15rem 0}
.t-true{color:var(--add-fg);font-weight:600}.t-false{color:var(--del-fg);font-weight:600}
.t-unknown{color:var(--chg-fg);font-weight:600}
.val{font-weight:600}.bound{font-weight:700;color:var(--accent)}
.prov{font-size:.85em;color:var(--muted)}
.table-box{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid var(--line)}
th{font-weight:600;background:var(--soft)}
td.num,th.num{text-align:right;white-space:nowrap}
table.tdiff td{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.85em}
table.tdiff td.mark{width:1.5em;text-align:center;font-weight:700}
tr.m-add{background:var(--add)}tr.m-add td.mark{color:var(--add-fg)}
tr.m-del{background:var(--del)}tr.m-del td.mark{color:var(--del-fg)}
tr.m-chg{background:var(--chg)}tr.m-chg td.mark{color:var(--chg-fg)}
tr.m-ctx td{color:var(--muted)}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
.trace-box{overflow-x:auto;background:var(--soft);padding:.4rem .6rem;border-radius:.3rem}
ul.trace,ul.trace ul{list-style:none;margin:0;padding-left:1.2rem;
font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.85em}
ul.trace{padding-left:0}ul.trace li{margin:.1rem 0}
ul.trace .head{font-weight:600}ul.trace .sub{color:var(--muted);padding-left:1.2rem}
section.group{border-top:2px solid var(--line);margin-top:1.4rem;break-inside:auto}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.5rem}
.sides>div{border:1px solid var(--line);border-radius:.3rem;padding:.4rem .6rem}
nav ol{padding-left:1.4rem}
footer{margin-top:2rem;color:var(--muted);font-size:.85em}
@media (max-width:480px){body{padding:.6rem;font-size:15px}h1{font-size:1.3rem}
dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.3rem}}
@media print{
:root{--soft:transparent;--add:transparent;--del:transparent;--chg:transparent}
body{max-width:none;padding:0;font-size:11pt;color:#000}
*{background:transparent !important;box-shadow:none !important}
a{color:inherit;text-decoration:none}
details>summary{list-style:none}
details::details-content{content-visibility:visible}
pre,.table-box,.trace-box{overflow:visible;white-space:pre-wrap}
article.entity,tr,ul.trace li,.sides>div{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
nav{display:none}
}
)";

}  // namespace

std::string page(std::string_view title, std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Nothing may be fetched or run: the page is the whole report.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<meta name=\"generator\" content=\"edict\">\n<title>";
  append_esc(out, title);
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
  out += body;
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace edict::report
