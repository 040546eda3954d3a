"""`python -m ats_core` runs the `ats` command line."""

from ats_core.cli import main

main()
