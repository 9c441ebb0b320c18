"""FiscalLens (财政绩效透视): Chinese budget and performance reports → one DuckDB warehouse.

The pipeline (pipeline.py) runs read → classify → extract → load → check; it never imports the UI.
- read.py, formats/: files → text (PDF, Word, Excel, text); normalize.py parses numbers and units.
- classify.py (+ regions.py, scriptfold.py): type, scope, year, region and body of a document;
  recognise.py: whether a classified file is a report at all (templates, check-sheets, notes are not).
- extract/: table and sentence readers → facts; editions.py: copies vs versions of one report.
- load.py: the atomic DuckDB build; check.py and audits/*.sql: findings and each rule's outcome.
- annotations.py: the real-document evaluation (bench/real_documents.py, tests/test_annotations.py).
"""
