"""A static site of the executed notebooks, for readers: ``python -m channelcost.site``.

Every executed notebook (the seed's in ``notebooks/`` and each ``reports/<article_id>/``) becomes an
HTML page with the code hidden (a link to the notebook gives it), figures inline, and an index page
listing the articles (own title, one-line finding, an article page with the scorecard and the
annotated article) and their notebooks. Chinese text in tables and prose is set in the bundled Noto Sans
CJK, subset to the characters the site uses and embedded in the shared stylesheet, so pages read the
same on a machine without Chinese fonts, opened from disk or served. Nothing is fetched from the web:
the notebook template's external scripts (RequireJS, MathJax) are left out.

The seed's pages are in ``seed/``, the project's comparison of many articles (notebook 05) in ``corpus/``,
each report's in ``reports/<folder name>/`` (so no report folder,
whatever its name, can land on the seed's pages or the site's own files); links are URL-escaped, so
names with ``#``, ``?`` or spaces work. A notebook that cannot be read or rendered is skipped with
one ``warning:`` line.
"""

from __future__ import annotations

import base64
import html
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

from . import paths
from .io import write_text_atomic
from .plotting import cjk_font_path

__all__ = ["Page", "collect_notebooks", "build_site", "main"]

FONT_FAMILY = "channelcost CJK"
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*", re.I)
_MATHJAX_BLOCK = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*", re.S)


@dataclass(frozen=True)
class Page:
    group: str  # "seed" or the article id of a report
    notebook: Path
    href: str  # relative to the site root, URL-escaped
    path: str  # the same, as a path on disk
    title: str
    summary: str


def collect_notebooks(report_dirs: list[Path] | None = None) -> list[tuple[str, Path]]:
    """(group, notebook) for the seed's notebooks, the project's corpus comparison (notebook 05, group
    ``corpus``) and every report folder's notebooks."""
    found = [("corpus" if p.name == paths.CORPUS_NOTEBOOK else "seed", p)
             for p in sorted(paths.NOTEBOOKS.glob(paths.NOTEBOOK_GLOB))]
    if report_dirs is None:
        report_dirs = sorted(p for p in paths.REPORTS.iterdir() if p.is_dir() and p.name not in ("figures", "site"))
    for d in report_dirs:
        for p in sorted(Path(d).glob(paths.NOTEBOOK_GLOB)):
            found.append((Path(d).name, p))
    return found


def _title_and_summary(nb: nbformat.NotebookNode) -> tuple[str, str]:
    title, summary = "", ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if not title and line.startswith("# "):
                title = line[2:].strip()
            elif title and not summary and line and not line.startswith("#"):
                paragraph = cell.source.split("\n\n")[1] if "\n\n" in cell.source else line
                text = re.sub(r"\s+", " ", re.sub(r"[*_`]", "", paragraph)).strip()
                text = re.sub(r"^(Question|Steps|Aim)\.\s*", "", text)  # the label, not the content
                m = re.match(r"(.+?[.?!])(\s|$)", text)
                summary = text if len(text) <= 200 or not m else m.group(1)
        if title and summary:
            break
    return title or "notebook", summary


def _font_css(chars: set[str]) -> str:
    """@font-face with the SC face of the bundled collection, subset to ``chars``, as a data: URI."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(cjk_font_path()))
    face = next(f for f in coll.fonts if "Noto Sans CJK SC" in f["name"].getDebugName(1))
    opts = subset.Options()
    opts.flavor = "woff"
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(face)
    buf = io.BytesIO()
    face.flavor = "woff"
    face.save(buf, reorderTables=True)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url(data:font/woff;base64,{data}) format('woff'); }}\n"
    )


_SITE_CSS = f"""
:root {{
  --jp-content-font-family: '{FONT_FAMILY}', system-ui, sans-serif;
  --jp-ui-font-family: '{FONT_FAMILY}', system-ui, sans-serif;
  --jp-code-font-family: 'DejaVu Sans Mono', monospace, '{FONT_FAMILY}';
}}
body, table, td, th, p, li, h1, h2, h3 {{ font-family: '{FONT_FAMILY}', system-ui, sans-serif; }}
pre, code {{ font-family: 'DejaVu Sans Mono', monospace, '{FONT_FAMILY}'; }}
.cc-nav {{ font: 14px '{FONT_FAMILY}', sans-serif; padding: 8px 16px; border-bottom: 1px solid #ddd; }}
.cc-index {{ max-width: 860px; margin: 2em auto; line-height: 1.5; }}
.cc-index h2 {{ margin-top: 1.6em; }}
.cc-index li {{ margin: .4em 0; }}
.cc-index.cc-article, .cc-index .cc-article {{ max-width: none; }}
.cc-card {{ border-collapse: collapse; margin: 1em 0; font-size: .95em; }}
.cc-card caption {{ text-align: left; font-weight: bold; margin-bottom: .4em; }}
.cc-card th, .cc-card td {{ border: 1px solid #888; padding: .3em .6em; vertical-align: top; text-align: left; }}
.cc-card th {{ background: #eeeeee; color: #1a1a1a; }}
.cc-headline {{ font-size: 1.15em; }}
.cc-source {{ color: #555555; }}
"""


def _with_alt_text(nb: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    """Give every figure an alternative text: the notebook's title and the sentence that introduces it."""
    intro, k = "", 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
            intro = re.sub(r"[*_`]", "", " ".join(lines)).split(". ")[0].strip() or intro
            continue
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                k += 1
                alt = html.escape(f"{title}, figure {k}: {intro}", quote=True)
                out["data"] = {"text/html": f'<img alt="{alt}" src="data:image/png;base64,{png.strip()}">'}
    return nb


def _render(nb_path: Path, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    nb = _with_alt_text(nbformat.read(nb_path, as_version=4), title)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"channelcost · {title}"}})
    body = _MATHJAX_BLOCK.sub("", body)
    return _EXTERNAL_SCRIPT.sub("", body)


def build_site(out_dir: Path | None = None, report_dirs: list[Path] | None = None) -> list[Page]:
    """Render every notebook to ``out_dir`` (default ``reports/site``) with an index; return the pages."""
    out = Path(out_dir) if out_dir else paths.REPORTS / "site"
    pages: list[Page] = []
    rendered: dict[str, str] = {}
    for group, nb_path in collect_notebooks(report_dirs):
        try:
            nb = nbformat.read(nb_path, as_version=4)
            title, summary = _title_and_summary(nb)
            page_html = _render(nb_path, title)
        except Exception as exc:  # noqa: BLE001 - any unreadable notebook: say so, go on with the rest
            print(f"warning: {paths.shown(nb_path)}: skipped, not a readable notebook ({type(exc).__name__})",
                  file=sys.stderr)
            continue
        own = nb_path.parent.resolve() == paths.NOTEBOOKS.resolve()  # a report may be named "seed" too
        folder = (group,) if own else ("reports", group)
        path = "/".join((*folder, f"{nb_path.stem}.html"))
        href = "/".join(quote(part) for part in path.split("/"))
        pages.append(Page(group, nb_path, href, path, title, summary))
        rendered[path] = page_html
    articles = _article_pages(pages)
    for page, doc in articles:
        rendered[page.path] = doc
    index = _index_html(pages, [page for page, _ in articles])
    chars = set(index)
    for text in rendered.values():
        chars.update(html.unescape(re.sub(r"<[^>]+>|data:image/[^\"']+", "", text)))
    chars = {c for c in chars if not c.isspace()} | set(" ")
    write_text_atomic(out / "site.css", _font_css(chars) + _SITE_CSS)
    for page, doc in articles:
        up = "../" * page.path.count("/")
        write_text_atomic(out / page.path, doc.replace("{UP}", up))
    for page in pages:
        up = "../" * page.path.count("/")
        nav = (f'<div class="cc-nav"><a href="{up}index.html">channelcost</a> · {html.escape(page.group)} · '
               f'{html.escape(page.title)}</div>')
        doc = rendered[page.path].replace("</head>", f'<link rel="stylesheet" href="{up}site.css">\n</head>', 1)
        doc = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, doc, count=1)
        write_text_atomic(out / page.path, doc)
    write_text_atomic(out / "index.html", index)
    _remove_stale_pages(out, {out / p.path for p in pages} | {out / p.path for p, _ in articles} | {out / "index.html"})
    return pages


def _remove_stale_pages(out: Path, keep: set[Path]) -> None:
    """Pages an earlier run wrote for notebooks that are gone (the site folder is the site's own)."""
    for page in out.rglob("*.html"):
        if page not in keep:
            page.unlink()
    for folder in sorted((d for d in out.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()



def _by_folder(pages: list[Page]) -> dict[str, list[Page]]:
    """The notebook pages by folder of the site: the seed's, or one per report."""
    groups: dict[str, list[Page]] = {}
    for p in pages:
        groups.setdefault(p.path.rsplit("/", 1)[0], []).append(p)
    return groups


def _article_tables(notebooks: list[Page]):
    """The built tables behind a group of notebook pages: the project's build for the seed's
    notebooks, the report folder's own tables for a report."""
    from .tables import open_build

    folder = notebooks[0].notebook.parent
    return open_build() if folder.resolve() == paths.NOTEBOOKS.resolve() else open_build(folder)


def _article_pages(pages: list[Page]) -> list[tuple[Page, str]]:
    """One page per article (``index.html`` in its folder): title, one-line finding, the scorecard,
    links to its notebooks, and the annotated article. A group whose tables cannot be read gets none."""
    from . import annotate, report

    out = []
    for folder, notebooks in _by_folder(pages).items():
        if all(n.notebook.name == paths.CORPUS_NOTEBOOK for n in notebooks):
            continue  # a comparison of many articles: its notebook is its page
        try:
            t = _article_tables(notebooks)
        except Exception as exc:  # noqa: BLE001 - a report without readable tables: its notebooks still show
            print(f"warning: {html.escape(folder)}: no article page, its tables cannot be read ({type(exc).__name__})",
                  file=sys.stderr)
            continue
        title, line = report.article_title(t), report.headline(t)
        path = f"{folder}/index.html"
        href = "/".join(quote(part) for part in path.split("/"))
        page = Page(notebooks[0].group, notebooks[0].notebook.parent, href, path, title, line)
        card = report.scorecard(t)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>\n"
                       for r in card.itertuples(index=False))
        table = ("<table class=\"cc-card\">\n<caption>What the article says each channel costs</caption>\n<thead><tr>"
                 + "".join(f'<th scope="col">{html.escape(c)}</th>' for c in card.columns) + "</tr></thead>\n<tbody>\n"
                 + rows + "</tbody>\n</table>\n") if len(card) else "<p>The article states no cost for any channel.</p>\n"
        links = "".join(f'<li><a href="{quote(n.path.rsplit("/", 1)[1])}">{html.escape(n.title)}</a></li>\n' for n in notebooks)
        doc = (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>channelcost · {html.escape(title)}</title>\n<link rel=\"stylesheet\" href=\"{{UP}}site.css\">\n</head>\n"
            f'<body>\n<div class="cc-nav"><a href="{{UP}}index.html">channelcost</a> · {html.escape(page.group)}</div>\n'
            f'<div class="cc-index">\n<h1 lang="zh">{html.escape(title)}</h1>\n<p class="cc-headline">{html.escape(line)}</p>\n'
            f"{table}<p>Evidence gives sentence ids (from 0, in text order); the notes under the article give each "
            "claim's id, rules and fact check.</p>\n"
            f"<h2>The notebooks</h2>\n<ol>\n{links}</ol>\n<h2>The article, annotated</h2>\n"
            f"{annotate.annotated_html(t.sentences, t.claims, t.fact_checks, max_marked_chars=None)}\n</div>\n"
            "</body>\n</html>\n"
        )
        out.append((page, doc))
    return out


def _index_html(pages: list[Page], articles: list[Page]) -> str:
    groups = _by_folder(pages)
    article_of = {a.path.rsplit("/", 1)[0]: a for a in articles}
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<title>channelcost: the articles</title>\n<link rel=\"stylesheet\" href=\"site.css\">\n</head>\n",
        "<body>\n<div class=\"cc-index\">\n<h1>channelcost: what articles say it costs to reach customer service</h1>\n",
        "<p>One entry per article: its title, what it says the channels cost, a page with the scorecard and "
        "the annotated article, and its four notebooks (executed, code hidden; the notebooks themselves are "
        "in the project).</p>\n",
    ]
    for folder, ps in groups.items():
        art = article_of.get(folder)
        source = "the project's own article" if folder == "seed" else "a report"
        if art:
            parts.append(f'<h2 lang="zh"><a href="{html.escape(art.href)}">{html.escape(art.title)}</a></h2>\n'
                         f"<p>{html.escape(art.summary)} <span class=\"cc-source\">({source}: "
                         f"{html.escape(ps[0].group)})</span></p>\n<ul>\n")
        else:
            parts.append(f"<h2>{html.escape(ps[0].group)}</h2>\n<ul>\n")
        for p in ps:  # the notebooks by title: their questions are the same for every article
            parts.append(f'<li><a href="{html.escape(p.href)}">{html.escape(p.title)}</a></li>\n')
        parts.append("</ul>\n")
    parts.append("</div>\n</body>\n</html>\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths.quiet_config_folders()
    out = Path(argv[0]) if argv else None
    pages = build_site(out)
    root = out or paths.REPORTS / "site"
    print(f"{len(pages)} pages; open {paths.relative(root / 'index.html')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
