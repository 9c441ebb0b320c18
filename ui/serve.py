"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` does).

Same as `streamlit run app.py`, with one difference. Streamlit decides on a process's very first
script run whether the app uses the legacy `pages/` folder routing (MPA v1), before app.py has
called st.navigation. Our pages live in `pages/` (the design card's folder) but are routed by
st.navigation, so the first visitor of a deep link (/budget-execution?province=…) would see a
"Page not found" dialog. Streamlit 1.67 offers no supported switch for this, so the one private
flag we set is isolated in `disable_legacy_pages_folder`, and tests/unit/test_serve.py fails
loudly when a Streamlit upgrade changes what the flag means.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def disable_legacy_pages_folder() -> None:
    """Route `pages/` by st.navigation from the first request on (the only private Streamlit API we use).

    `PagesManager.uses_pages_directory` is what st.navigation itself sets to False on its first call; we
    set it before the first script run instead of after it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    disable_legacy_pages_folder()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    sys.exit(cli.main())


if __name__ == "__main__":
    main(sys.argv[1:])
