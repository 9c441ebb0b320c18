"""FiscalLens (财政绩效透视): Chinese budget and performance reports → one DuckDB warehouse.

The package is the pipeline, one module per stage:
read → normalize → classify → extract → load → check. It never imports the UI.
"""
