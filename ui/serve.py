"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` does).

Same as `streamlit run app.py`, with one difference: Streamlit decides on a process's very
first script run whether the app uses the legacy `pages/` folder routing, before app.py
has called st.navigation. Our pages live in `pages/` (per the design) but are routed by
st.navigation, so the legacy mode is switched off up front; otherwise the first visitor
of a deep link (/budget-execution?province=…) would see a "Page not found" dialog.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *argv]
    sys.exit(cli.main())


if __name__ == "__main__":
    main(sys.argv[1:])
