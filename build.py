#!/usr/bin/env python3
"""Front door: python build.py [check|site|pdf|docx|comments|serve|new|schema|rules|bench] — see --help."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from handbook.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
