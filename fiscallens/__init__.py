"""FiscalLens (财政绩效透视): Chinese budget and performance reports → one DuckDB warehouse.

The core of the app; it never imports Streamlit or `ui` (import contracts in pyproject.toml, `make lint`).

Pipeline stages, in the order pipeline.py runs them:
- read: read.py, formats/ — files → `Document` text (PDF, Word, Excel, text), with provenance;
- classify: classify.py — type, scope, year, region and body; recognise.py — is it a report at all;
- extract: extract/ — table and sentence readers side by side → facts; editions.py — copies vs versions;
- load: load.py, schema.sql, derive.sql, marts.py + marts.sql — the atomic DuckDB build; peers.py — each
  department's kind (peer groups) from its name and data/department_kinds.csv;
- check: check.py, audits/*.sql — audit findings and each rule's outcome.
pipeline.py wires them; model.py holds what passes between stages.

Libraries the stages share: normalize.py (numbers, units, whitespace), regions.py and scriptfold.py
(place names, traditional → simplified), settings.py (every limit and tolerance), sqlfiles.py (folders
of named .sql files), labels.py (Chinese labels of stored codes, from reference/*.csv).

Reading the warehouse: warehouse.py (locked-down read-only connections), queries.py (the named queries
in queries/), workbench/ (analyst SQL: guard, run, errors, schema, gallery), explain.py (one report's
facts), sources.py (a source file's lines), downloads.py (CSV/XLSX/Parquet files), export.py and
portable.py (Parquet export, Spark SQL), schema_doc.py (docs/warehouse.md).

Presentation without Streamlit: presentation.py (amounts, notes, masking), palette.py (colours, units,
formats), charts.py (figures), screen_charts.py (a figure drawn on screen by ECharts), ranking_charts.py
(rankings, peer groups, a department's years), geo.py (offline region boundaries), map_charts.py
(choropleth maps) and map_svg.py (the map on screen as plain SVG), insights.py (summary sentences),
figure_export.py (a chart as PNG/SVG/PDF), brief.py (the one-page brief), brief_pptx.py and brief_docx.py
(the brief as editable PPTX with native charts and as a DOCX 简报), docx_footnotes.py (real Word footnotes,
which python-docx lacks).

Tooling: cli.py (`python -m fiscallens`), synth/ (the synthetic corpus and its accuracy score),
annotations.py (the real-document evaluation).
"""
