"""The render layer shared by the site and the print: view builders and one Jinja environment.

- ``gbt``: the fixed GB/T 1.1 sentences and the 前言 lines built from a standard;
- ``refs``: how a reference reads (one label function per style) and the ``Linker`` each output supplies;
- ``context``: ``Context``, the per-page object templates call for editor text and references;
- ``env``: the autoescaping environment; ``templates/macros.html`` holds the macros both outputs call;
- ``headings``: the heading list read back from rendered HTML (TOC of the site page, 目次 of the PDF).
"""
