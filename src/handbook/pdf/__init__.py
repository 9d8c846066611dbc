"""Printable PDFs: print HTML (render), WeasyPrint writer (write), incremental parallel build (build)."""
